import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Which work waits for a person: an officer with someone in front of them (rapid identification,
 * port enrollment) is served before bulk work (bookings, EBTS batches, re-extraction).
 */
export type Priority = 'interactive' | 'bulk';

/**
 * What one request carries from process to process: its id (for following it through the logs of
 * every service), its transaction control number once known, and its priority. Nothing personal.
 */
export interface RequestContext {
  requestId: string;
  tcn?: string;
  priority?: Priority;
  /** The error code the request or message ended with, for its log line. */
  code?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `work` with `context` as the current request's. */
export function runInContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** Notes the transaction's control number on the current request, for its log lines and the messages it sends. */
export function noteTcn(tcn: string): void {
  const context = storage.getStore();
  if (context) context.tcn = tcn;
}

/** Request ids a client may choose: short, and harmless in a log line. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A client's request id if it is one we accept, or a fresh one. */
export function requestIdFrom(offered: unknown): string {
  return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** The message headers that carry a context to another service. */
export const CONTEXT_HEADERS = { requestId: 'Concord-Request-Id', tcn: 'Concord-Tcn', priority: 'Concord-Priority' } as const;

/** A context as message headers. */
export function contextHeaders(context: RequestContext | undefined): Record<string, string> {
  if (!context) return {};
  const headers: Record<string, string> = { [CONTEXT_HEADERS.requestId]: context.requestId };
  if (context.tcn) headers[CONTEXT_HEADERS.tcn] = context.tcn;
  if (context.priority) headers[CONTEXT_HEADERS.priority] = context.priority;
  return headers;
}

/** The context a message's headers carry; a message without one (a timer's, an older sender's) gets a fresh id. */
export function contextFromHeaders(get: (name: string) => string | undefined): RequestContext {
  const priority = get(CONTEXT_HEADERS.priority);
  const tcn = get(CONTEXT_HEADERS.tcn);
  return {
    requestId: requestIdFrom(get(CONTEXT_HEADERS.requestId)),
    tcn: tcn && tcn.length <= 40 ? tcn : undefined,
    priority: priority === 'interactive' || priority === 'bulk' ? priority : undefined,
  };
}
