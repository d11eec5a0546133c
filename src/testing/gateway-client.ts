import { multipart } from './test-system.ts';

/**
 * An agency's client of several gateways behind no load balancer: it sends each request to one
 * gateway and, when that gateway cannot be reached or answers "not now", sends the same request
 * (same TCN) again, to the next gateway if the first is unreachable. A TCN makes the retry safe:
 * the system answers it once and repeats that answer.
 */
export interface Answer {
  status: number;
  body: any;
  /** Every attempt before the final one, as `gateway-index:status-or-error` (for drill reports). */
  retries: string[];
  /** Index of the gateway that gave the final answer. */
  gateway: number;
  ms: number;
}

/** Statuses that mean "ask again": the TCN is being processed, a node or the storage is briefly unavailable, too busy. */
const RETRY_STATUSES = new Set([409, 429, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['TCN_IN_PROGRESS', 'NODE_UNAVAILABLE', 'BUS_UNAVAILABLE', 'STORAGE_UNAVAILABLE', 'SEARCH_INCOMPLETE', 'BUSY', 'RATE_LIMITED']);

export class GatewayClient {
  constructor(
    private readonly gateways: string[],
    private readonly tokens: Record<string, string>,
    private readonly options: { deadlineMs?: number; requestTimeoutMs?: number; /** false: every answer is final (a load test counting refusals). */ retry?: boolean } = {},
  ) {}

  /** Sends a multipart POST as `user`, first to gateway `first`, retrying as described above until it gets a final answer or the deadline passes. */
  async post(path: string, user: string, parts: Parameters<typeof multipart>[0], first = 0): Promise<Answer> {
    const { body, contentType } = multipart(parts);
    const started = performance.now();
    const deadline = started + (this.options.deadlineMs ?? 120_000);
    const retries: string[] = [];
    let gateway = first % this.gateways.length;
    for (;;) {
      let outcome: string;
      let wait = 200;
      try {
        const response = await fetch(`${this.gateways[gateway]}${path}`, {
          method: 'POST',
          body,
          headers: { 'content-type': contentType, authorization: `Bearer ${this.tokens[user]}` },
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
        });
        const text = await response.text();
        const json = parseJson(text);
        const code: string | undefined = json?.error?.code;
        if (this.options.retry === false || !RETRY_STATUSES.has(response.status) || (code !== undefined && !RETRYABLE_CODES.has(code))) {
          return { status: response.status, body: json ?? text, retries, gateway, ms: performance.now() - started };
        }
        outcome = `${gateway}:${response.status}${code ? ` ${code}` : ''}`;
        const after = Number(response.headers.get('retry-after'));
        if (after > 0) wait = Math.min(after * 1000, 2000);
      } catch (error) {
        // Unreachable, reset mid-answer or timed out: try the next gateway.
        outcome = `${gateway}:${(error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message}`;
        gateway = (gateway + 1) % this.gateways.length;
      }
      retries.push(outcome);
      if (performance.now() + wait > deadline) {
        return { status: 0, body: { error: { code: 'CLIENT_GAVE_UP', message: `no final answer after ${retries.length} attempts: ${retries.slice(-5).join(', ')}` } }, retries, gateway, ms: performance.now() - started };
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async get(path: string, user: string, gateway = 0): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.gateways[gateway]}${path}`, { headers: { authorization: `Bearer ${this.tokens[user]}` }, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) ?? text };
  }
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs `count` jobs with at most `concurrency` at once; resolves with their results in order. */
export async function runConcurrently<T>(count: number, concurrency: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await job(index);
      }
    }),
  );
  return results;
}
