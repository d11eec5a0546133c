import { FormatRegistry, Type, type TSchema } from '@sinclair/typebox';
import { PURPOSE_CODES } from '../../gateway/dissemination-policy.ts';

/**
 * The building blocks of every route's schema. Values are strict: a string is one string (a
 * repeated query parameter is refused), text is bounded and printable, identifiers follow their
 * formats, dates are real calendar dates, numbers are bounded integers, and objects refuse fields
 * they do not declare.
 */

/**
 * Characters no field of Concord carries: C0 and C1 controls (NUL included), DEL, and the
 * invisible format characters (zero-width, line/paragraph separators, bidirectional overrides and
 * isolates, the byte-order mark) that make a stored value read differently from what it is.
 */
const INVISIBLE = '\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\uFEFF';

/** A building block's own description, with what the field adds to it. */
const described = (base: string, options: { description?: string }) => (options.description ? `${base} (${options.description})` : base);

/** One line of printable text, not blank, at most `max` characters. */
export const Text = (max: number, options: { description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: max, pattern: `^(?=.*\\S)[^${INVISIBLE}]+$`, description: described(`one line of printable text, at most ${max} characters`, options) });

/** Printable text over several lines (tabs and line breaks allowed), not blank, at most `max` characters. */
export const Paragraph = (max: number, options: { description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: max, pattern: `^(?=[\\s\\S]*\\S)(?:[\\t\\n\\r]|[^${INVISIBLE}])+$`, description: described(`printable text, at most ${max} characters`, options) });

/** A name, title or agency name. */
export const Name = Text(200);

/** An FBI number (UCN) as the criminal repository assigns them: digits, two letters, an optional check character. */
export const FbiNumber = Type.String({ pattern: '^[0-9]{1,7}[A-Z]{2}[0-9A-Z]?$', maxLength: 10, description: 'FBI number, e.g. 4100001AB' });

/** A fingerprint identification number of the immigration repository. */
export const Fin = Type.String({ pattern: '^FIN[0-9]{1,12}$', maxLength: 15, description: 'FIN, e.g. FIN100000001' });

/** A subject of either repository: an FBI number or a FIN. */
export const SubjectId = Type.String({ pattern: '^(?:FIN[0-9]{1,12}|[0-9]{1,7}[A-Z]{2}[0-9A-Z]?)$', maxLength: 15, description: 'FBI number or FIN' });

/** An originating agency identifier: two letters of the state, then seven letters or digits. */
export const Ori = Type.String({ pattern: '^[A-Z]{2}[A-Z0-9]{7}$', description: 'ORI, e.g. TX0570000' });

/** A user's or a registered system's id, as chosen at creation. */
export const AccountId = Type.String({ pattern: '^[a-z][a-z0-9._-]{1,39}$', description: 'account id: lower-case letter, then 1–39 of a-z 0-9 . _ -' });

/** Who acted, as the audit trail names them: a person's account id, or a registered system's as `client:<id>`. */
export const ActorId = Type.String({ pattern: '^(client:)?[a-z][a-z0-9._-]{1,39}$', description: 'account id, or client:<id> for a registered system' });

/** A transaction control number: letters, digits and . _ : -, at most 40. */
export const Tcn = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$', description: 'transaction control number' });

/** A client's network address (IPv4 or IPv6), as the audit trail records it. */
export const ClientAddress = Type.String({ pattern: '^[0-9A-Fa-f:.]{2,45}$', description: 'client address, e.g. 203.0.113.7' });

/** A wanted-person record id. */
export const WantedId = Type.String({ pattern: '^W[0-9]{1,12}$', description: 'wanted-person record id, e.g. W1' });

/**
 * A III purpose code. Its form is checked here; whether it is one of the codes, and whether it
 * is there at all, the gateway decides, because that refusal is audited.
 */
export const Purpose = Type.String({ pattern: '^[A-Z]$', description: `III purpose code: ${PURPOSE_CODES.join(', ')}; a missing or unknown code is refused and audited` });

/** One of a few words (an enum), named in the description so that a refusal can list them. */
export const OneOf = <const T extends string | number>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Union(values.map((value) => Type.Literal(value)), { description: described(`one of ${values.join(', ')}`, options) });

/** A whole number within bounds; in a path or query it is written in plain decimal digits. */
export const BoundedInteger = (minimum: number, maximum: number, options: { description?: string } = {}) => Type.Integer({ minimum, maximum, ...options });

/** A database row id (serial). */
export const RowId = BoundedInteger(1, 2_147_483_647);

/** A flag in a query string. */
export const QueryFlag = OneOf(['true', 'false']);

// A real calendar date: 2026-02-30 is refused, 2024-02-29 is not.
FormatRegistry.Set('date', isCalendarDate);

/** A calendar date (YYYY-MM-DD) from 1900 to 2099. */
export const CalendarDate = (options: { description?: string } = {}) =>
  Type.String({ format: 'date', pattern: '^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$', description: described('a calendar date YYYY-MM-DD, 1900–2099', options) });

/** An instant for searches: a calendar date, or a date and time in UTC or with an offset. */
export const Timestamp = Type.String({
  pattern: '^(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,3})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?$',
  description: 'YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.sss]] with Z or an offset',
});

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An object that refuses fields it does not declare. */
export const Strict = <T extends Record<string, TSchema>>(properties: T, options: { description?: string } = {}) => Type.Object(properties, { additionalProperties: false, ...options });

/** A query string or path with nothing in it: any parameter is refused. */
export const NoParameters = Strict({});

/** A request with no body: nothing, or an empty JSON object. */
export const NoBody = Type.Union([Type.Null(), Strict({})], { description: 'no body, or an empty JSON object' });

/** The bearer token every /v1 request carries; other headers pass. */
export const BearerHeaders = Type.Object({ authorization: Type.Optional(Type.String({ maxLength: 8192, pattern: '^Bearer [\\x21-\\x7E]+$', description: 'Bearer <token>' })) });

/** The answer to any failure. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), where: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])) }),
});

/** The query of a record request: its purpose, as agreed for every request that reads records. */
export const PurposeQuery = Strict({ purpose: Type.Optional(Purpose) });
