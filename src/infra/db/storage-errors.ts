import { ConcordError, errorCode } from '../../shared/errors.ts';

/** SQLSTATE check_violation: a row broke one of a table's CHECK constraints. */
const CHECK_VIOLATION = '23514';
/** The server ended the session (admin_shutdown, crash_shutdown, cannot_connect_now), or the connection failed (class 08). */
const CONNECTION_LOST = /^(57P0[123]|08...)$/;
/** The socket's own failures, as Node and the driver report them. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * A database failure as a typed error. A value the rules should have refused but a table's CHECK
 * did: a refusal naming the constraint (the database's own message stays here). A lost connection:
 * STORAGE_UNAVAILABLE, which a client may retry (a TCN makes the retry safe). Anything else passes
 * unchanged.
 */
export function storageError(error: unknown): unknown {
  if (error instanceof ConcordError) return error;
  const code = errorCode(error);
  if (code === CHECK_VIOLATION) {
    const constraint = String((error as { constraint?: unknown }).constraint ?? 'unnamed');
    return new ConcordError('BAD_REQUEST', `a value is outside what the records may hold (storage rule ${constraint})`, { constraint });
  }
  if (CONNECTION_LOST.test(code) || SOCKET_CODES.has(code) || /^Connection terminated|not queryable/.test((error as Error)?.message ?? '')) {
    return new ConcordError('STORAGE_UNAVAILABLE', 'the connection to the database was lost mid-request; send the request again (a repeated TCN is answered once)', { reason: code || 'connection terminated' });
  }
  return error;
}
