/**
 * Every failure Concord reports is a ConcordError: a stable machine-readable `code`, a message a
 * person can act on, and `where` it happened (file, record, field, byte offset, finger...).
 * Interfaces map codes to HTTP statuses or exit codes in one place each; nothing else inspects
 * messages.
 */
export class ConcordError extends Error {
  readonly code: string;
  readonly where: Readonly<Record<string, string | number | boolean>>;

  constructor(code: string, message: string, where: Record<string, string | number | boolean> = {}) {
    super(message);
    this.name = 'ConcordError';
    this.code = code;
    this.where = where;
  }

  toJSON(): { code: string; message: string; where: Record<string, string | number | boolean> } {
    return { code: this.code, message: this.message, where: { ...this.where } };
  }
}

/** The `code` a thrown value carries (a library's or a database's own, e.g. a SQLSTATE), as text; empty if none. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === undefined || code === null ? '' : String(code);
}

export function isConcordError(value: unknown, code?: string): value is ConcordError {
  return value instanceof ConcordError && (code === undefined || value.code === code);
}

/**
 * A failure said where it happened, for a caller that knows more of the context: a ConcordError
 * gets `label` before its message and `where` added to its own; anything else passes unchanged.
 */
export function within(error: unknown, label: string | undefined, where: Record<string, string | number | boolean>): unknown {
  if (!(error instanceof ConcordError)) return error;
  return new ConcordError(error.code, label ? `${label}: ${error.message}` : error.message, { ...error.where, ...where });
}
