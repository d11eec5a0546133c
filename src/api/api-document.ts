import type { ConcordSystem } from '../app/concord-system.ts';
import type { Gateway } from '../gateway/gateway.ts';
import { createApp } from './server.ts';

/** An OpenAPI 3 document, as far as Concord reads it. */
export interface ApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string; required?: boolean }[]; requestBody?: { content: Record<string, unknown> } }>>;
}

/**
 * The API's OpenAPI document without a running system: the routes are registered (which is all
 * the document is generated from) on an app that serves no request. Setting the app up touches
 * the system (its telemetry, the gateway's database for the rate limits), so the system is an
 * inert stand-in that answers every property and call with another stand-in.
 */
export async function describeApi(): Promise<ApiDocument> {
  const serving = inert();
  const app = await createApp(serving as Gateway, serving as ConcordSystem, { maxUploadBytes: 1 });
  await app.ready();
  const document = app.swagger() as unknown as ApiDocument;
  await app.close();
  return document;
}

/** A stand-in for anything: every property and every call gives another; never a promise (`then` is absent). */
function inert(): unknown {
  const stand: unknown = new Proxy(function standIn() {}, {
    get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 'inert' : stand),
    apply: () => stand,
    construct: () => stand as object,
  });
  return stand;
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** The README's table of routes: method and path, query parameters, and what each does. */
export function routeTable(document: ApiDocument): string {
  const rows = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHOD_ORDER.includes(method))
      .map(([method, operation]) => {
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => `\`${p.name}\`${p.required ? ' (required)' : ''}`);
        return { path, method, line: `| \`${method.toUpperCase()} ${path}\` | ${query.join(', ')} | ${(operation.summary ?? '').replace(/\|/g, '\\|')} |` };
      }),
  );
  rows.sort((a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
  return ['| Route | Query | What it does |', '|---|---|---|', ...rows.map((row) => row.line)].join('\n');
}
