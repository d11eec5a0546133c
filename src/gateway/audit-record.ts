import { createHash } from 'node:crypto';

/**
 * One audit record as the `audit_log` table stores it, and the one serialisation its hash is
 * computed over. The writer normalises an event to this form before hashing and stores exactly
 * it; verification serialises the row it reads back the same way. So whatever a caller hands
 * the writer (an array where a string belongs, a NUL, a name of 900 KB), what is hashed is what
 * is stored, and a record reads back as it was written.
 */
export interface AuditContent {
  seq: number;
  at: string;
  component: string;
  event: string;
  user_id: string | null;
  ori: string | null;
  purpose: string | null;
  tcn: string | null;
  outcome: string;
  record_ids: string[];
  field_classes: string[];
  client: string | null;
}

/** What a caller may hand the writer: the fields of AuditContent, of any type at run time. */
export interface RawAuditEvent {
  component: unknown;
  event: unknown;
  userId?: unknown;
  ori?: unknown;
  purpose?: unknown;
  tcn?: unknown;
  outcome: unknown;
  recordIds?: unknown;
  fieldClasses?: unknown;
  client?: unknown;
}

/**
 * Bounds on stored text (characters, after escaping). Identifiers (user, agency, purpose, TCN,
 * client address) are short by nature; record identifiers and events also carry short phrases
 * ("refused:<binding>", "cause:<reason>"). Anything longer is stored as a prefix and the first
 * 128 bits of the SHA-256 digest of the whole value, together exactly `bound` characters: enough
 * to recognise a value one suspects, too little to flood the trail. Text already stored passes
 * through unchanged, so normalising twice changes nothing.
 */
export const ID_BOUND = 64;
export const TEXT_BOUND = 200;
const DIGEST_HEX = 32;
const DIGEST_SUFFIX = '…(sha256:)'.length + DIGEST_HEX;

/** User ids as accounts are created with them. */
export const USER_ID = /^[a-z][a-z0-9._-]{1,39}$/;

/**
 * C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional controls
 * (which can make a record read differently from what it says): stored as \uXXXX.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Halves of surrogate pairs standing alone, which UTF-8 cannot carry: the database would store U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as stored: well-formed, unsafe characters escaped, at most `bound` characters plus a digest. */
export function storedText(value: string, bound: number): string {
  const whole = value.replace(LONE_SURROGATE, '\uFFFD');
  const escaped = whole.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= bound) return escaped;
  // Cut between characters, not inside a surrogate pair.
  let prefix = escaped.slice(0, bound - DIGEST_SUFFIX);
  if (/[\ud800-\udbff]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return `${prefix}…(sha256:${createHash('sha256').update(whole, 'utf8').digest('hex').slice(0, DIGEST_HEX)})`;
}

/** A value where text belongs, as text: a non-string (an array from a repeated query parameter, say) as its JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function optionalText(value: unknown, bound: number): string | null {
  return value === undefined || value === null ? null : storedText(asText(value), bound);
}

/** A required column: missing stays null, which the table refuses (NOT NULL), so the event is not written. */
function requiredText(value: unknown, bound: number): string {
  return optionalText(value, bound) as string;
}

export function textList(value: unknown, bound: number): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => storedText(asText(item), bound));
}

/** The record an event becomes at `seq` and `at`: every field exactly as its column stores it. */
export function normaliseAuditEvent(event: RawAuditEvent, seq: number, at: Date): AuditContent {
  return {
    seq,
    at: at.toISOString(),
    component: requiredText(event.component, ID_BOUND),
    event: requiredText(event.event, TEXT_BOUND),
    user_id: optionalText(event.userId, ID_BOUND),
    ori: optionalText(event.ori, ID_BOUND),
    purpose: optionalText(event.purpose, ID_BOUND),
    tcn: optionalText(event.tcn, ID_BOUND),
    outcome: requiredText(event.outcome, ID_BOUND),
    record_ids: textList(event.recordIds, TEXT_BOUND),
    field_classes: textList(event.fieldClasses, ID_BOUND),
    client: optionalText(event.client, ID_BOUND),
  };
}

/**
 * The canonical serialisation: the columns in a fixed order as JSON. Strings are strings, lists
 * are lists of strings, absent values null. A stored row is serialised as it is read, never
 * normalised again: a value that is not what the writer would have stored shows as altered.
 */
export function serialiseAuditContent(row: AuditContent): string {
  return JSON.stringify([
    Number(row.seq), row.at, row.component, row.event, row.user_id, row.ori, row.purpose, row.tcn,
    row.outcome, row.record_ids, row.field_classes, row.client,
  ]);
}

/** A record's hash: its content chained to the previous record's hash. */
export function auditHash(previous: string, row: AuditContent): string {
  return createHash('sha256').update(previous).update('\n').update(serialiseAuditContent(row)).digest('hex');
}
