import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConcordError } from '../shared/errors.ts';

/**
 * The CLI's client of a running Concord server: CONCORD_URL (default http://127.0.0.1:8080) and
 * the caller's token from --token or CONCORD_TOKEN. Prints the JSON answer; server errors come
 * back as ConcordErrors with the server's code.
 */
export interface ClientOptions {
  url?: string;
  token?: string;
}

export function clientOptions(values: { url?: string; token?: string }): Required<ClientOptions> {
  const token = values.token ?? process.env.CONCORD_TOKEN;
  if (!token) throw new ConcordError('BAD_ARGUMENT', 'give an API token with --token or CONCORD_TOKEN (the demo prints some at start)');
  return { url: (values.url ?? process.env.CONCORD_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, ''), token };
}

/** A multipart form: `fields` as text parts, then `finger_2=path/to/print.png` arguments as file parts. */
export async function fingerForm(args: string[], fields: Record<string, string> = {}): Promise<FormData> {
  const parts = await Promise.all(
    args.map(async (arg) => {
      const match = /^(finger_\d{1,2})=(.+)$/.exec(arg);
      if (!match) throw new ConcordError('BAD_ARGUMENT', `expected finger_<position>=<image file>, got "${arg}"`);
      const bytes = await readFile(match[2]).catch(() => {
        throw new ConcordError('NOT_FOUND', `cannot read ${match[2]}`, { path: match[2] });
      });
      return { name: match[1], file: new Blob([bytes]), filename: basename(match[2]) };
    }),
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const part of parts) form.append(part.name, part.file, part.filename);
  return form;
}

export async function call(options: Required<ClientOptions>, method: string, path: string, body?: FormData | object): Promise<unknown> {
  const response = await send(options, method, path, {
    headers: body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {},
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw serverError(answer, response.status);
  return answer;
}

/**
 * Posts a file and returns the file the server answers with, whatever its status (an EBTS ERRT
 * comes back with a 4xx status and is still the answer); a JSON error body is thrown.
 */
export async function callWithFile(options: Required<ClientOptions>, path: string, file: Uint8Array): Promise<{ status: number; bytes: Uint8Array }> {
  const response = await send(options, 'POST', path, { headers: { 'content-type': 'application/octet-stream' }, body: file });
  if (response.headers.get('content-type')?.startsWith('application/json')) throw serverError(await response.json().catch(() => ({})), response.status);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function send(options: Required<ClientOptions>, method: string, path: string, init: { headers: Record<string, string>; body?: FormData | string | Uint8Array }): Promise<Response> {
  try {
    return await fetch(`${options.url}${path}`, { method, headers: { authorization: `Bearer ${options.token}`, ...init.headers }, body: init.body });
  } catch (error) {
    throw new ConcordError('NODE_UNAVAILABLE', `cannot reach ${options.url}: ${error instanceof Error ? error.message : error} (is "npm start" running?)`);
  }
}

function serverError(body: unknown, status: number): ConcordError {
  const error = (body as { error?: { code: string; message: string; where?: Record<string, string | number | boolean> } }).error;
  return new ConcordError(error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${status}`, error?.where ?? {});
}

export const CLIENT_OPTIONS = { url: { type: 'string' }, token: { type: 'string' } } as const;

export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
