import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The only fields a log line may carry. Logs are read by operators and kept by log systems outside
 * the privacy rules, so no line may hold biometric data, a name, a date of birth or a token: rather
 * than hope every caller remembers, the logger drops any field not named here.
 */
export const LOG_FIELDS = [
  'node', 'replica', 'requestId', 'method', 'route', 'status', 'code', 'outcome', 'durationMs', 'tcn', 'priority', 'subject', 'consumer', 'error',
] as const;

export type LogField = (typeof LOG_FIELDS)[number];
export type LogLine = Partial<Record<LogField, string | number | undefined>>;
export type { Logger };

const allowed = new Set<string>(LOG_FIELDS);

function onlyAllowed(fields: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (allowed.has(key) && (typeof value === 'string' || typeof value === 'number')) kept[key] = value;
  return kept;
}

/** A JSON-lines logger (pino) on standard output, or on `destination`, that writes only the allowed fields. */
export function createLogger(options: { level: string; replica: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { replica: options.replica },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), bindings: onlyAllowed, log: onlyAllowed },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/**
 * An unexpected failure as a log field: its kind and where it was thrown (the stack's frames),
 * never its message, which may quote a value (a database's error names the row it refused).
 */
export function failureForLog(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8);
  return [error.name, ...frames.map((line) => line.trim())].join(' | ');
}
