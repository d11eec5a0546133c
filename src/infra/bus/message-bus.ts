/**
 * The message bus between the gateway and the repositories: request/reply for questions that
 * need an answer now, durable events for facts others must learn (a wanted record entered, a
 * booking to check against immigration records). Payloads are JSON. The request context (its id,
 * TCN and priority) travels beside each payload as message headers, and the handler runs in it.
 */
export interface MessageBus {
  readonly kind: 'memory' | 'nats';
  /** Asks the node serving `subject`; rejects with NODE_UNAVAILABLE when none answers in time. */
  request<Reply>(subject: string, payload: unknown, timeoutMs?: number): Promise<Reply>;
  /** Serves `subject`; the returned function stops serving it. */
  respond(subject: string, handler: (payload: any) => Promise<unknown>): Promise<Unsubscribe>;
  /** Durable: once publish resolves, every consumer gets the event, across restarts. */
  publish(subject: string, payload: unknown): Promise<void>;
  /** At-least-once delivery to the named durable consumer; a handler that throws is retried. */
  consume(subject: string, consumer: string, handler: (payload: any) => Promise<void>): Promise<Unsubscribe>;
  /** Events not yet handled, or not yet acknowledged, by each durable consumer this process runs (bus lag). */
  consumerLag(): Promise<{ subject: string; consumer: string; pending: number }[]>;
  /** To every replica listening now, not kept: heartbeats, and nudges that something changed. */
  broadcast(subject: string, payload: unknown): Promise<void>;
  /** Receives broadcasts on `subject` (each listening process gets each one). */
  listen(subject: string, handler: (payload: any) => Promise<void> | void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export type Unsubscribe = () => void;

/** How a responder's failure travels back to the requester. */
export interface WireError {
  error: { code: string; message: string; where?: Record<string, string | number | boolean> };
}

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as WireError).error?.code === 'string';
}
