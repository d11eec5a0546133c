import { ConcordError } from '../../shared/errors.ts';
import type { SubmissionRequest } from './build-submission.ts';
import { isSubmissionTot, type SubjectDescription, SUBMISSION_TOTS } from './submission.ts';
import { SUBJECT_FIELDS, type SubjectFieldName } from './type2-fields.ts';

/** What `concord ebts make --json` reads; shorthands name/dob/sex sit beside a full `subject`. */
export interface SubmissionDescription {
  readonly request: SubmissionRequest;
  /** Finger position of each image, in the order the images are given (1, 2, ... by default). */
  readonly positions: readonly number[] | undefined;
}

const SHORTHANDS: Record<string, SubjectFieldName> = { name: 'name', dob: 'dateOfBirth', sex: 'sex' };

/** Checks and converts a parsed JSON description; every mistake is a BAD_ARGUMENT naming the key. */
export function parseSubmissionDescription(json: unknown, now: Date): SubmissionDescription {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('$', 'the description must be a JSON object');
  const input = json as Record<string, unknown>;
  const text = (key: string, required: boolean): string | undefined => {
    const value = input[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value.length === 0) throw bad(key, `"${key}" must be a non-empty string`);
    return value;
  };
  const tot = text('tot', true)!.toUpperCase();
  if (!isSubmissionTot(tot)) throw bad('tot', `"tot" must be one of ${SUBMISSION_TOTS.join(', ')}`);
  const at = input.at === undefined ? now : new Date(String(input.at));
  if (Number.isNaN(at.getTime())) throw bad('at', '"at" must be an ISO date-time');
  const priority = input.priority;
  if (priority !== undefined && !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 9)) throw bad('priority', '"priority" must be 1-9');

  const subject: Record<string, string | string[]> = {};
  const given = input.subject ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw bad('subject', '"subject" must be an object');
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    if (!(key in SUBJECT_FIELDS)) throw bad(`subject.${key}`, `unknown subject field "${key}"; known: ${Object.keys(SUBJECT_FIELDS).join(', ')}`);
    subject[key] = subjectValue(`subject.${key}`, value);
  }
  for (const [shorthand, name] of Object.entries(SHORTHANDS)) {
    if (input[shorthand] !== undefined) subject[name] = subjectValue(shorthand, input[shorthand]);
  }

  let positions: number[] | undefined;
  const rawPositions = input.positions ?? input.fingers;
  if (rawPositions !== undefined) {
    if (!Array.isArray(rawPositions) || !rawPositions.every((p) => Number.isInteger(p) && p >= 0 && p <= 15)) {
      throw bad('positions', '"positions" must be a list of finger positions 0-15');
    }
    positions = rawPositions as number[];
  }
  return {
    request: {
      tot,
      ori: text('ori', true)!,
      dai: text('dai', false),
      tcn: text('tcn', true)!,
      at,
      priority: priority as number | undefined,
      subject: subject as SubjectDescription,
    },
    positions,
  };
}

function subjectValue(key: string, value: unknown): string | string[] {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw bad(key, `"${key}" must be a string or a list of strings`);
}

function bad(key: string, message: string): ConcordError {
  return new ConcordError('BAD_ARGUMENT', message, { field: key });
}
