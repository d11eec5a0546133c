import { ConcordError, errorCode } from '../../shared/errors.ts';

/** SQLSTATE check_violation: a row broke one of a table's CHECK constraints. */
const CHECK_VIOLATION = '23514';

/**
 * A value the rules should have refused but a table's CHECK did: a typed refusal naming the
 * constraint (the database's own message stays here). Anything else passes unchanged.
 */
export function storageError(error: unknown): unknown {
  if (errorCode(error) !== CHECK_VIOLATION) return error;
  const constraint = String((error as { constraint?: unknown }).constraint ?? 'unnamed');
  return new ConcordError('BAD_REQUEST', `a value is outside what the records may hold (storage rule ${constraint})`, { constraint });
}
