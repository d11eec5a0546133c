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
 * the document is generated from) on an app that serves no request.
 */
export async function describeApi(): Promise<ApiDocument> {
  const serving = new Proxy({}, {
    get() {
      throw new Error('the API description serves no requests');
    },
  });
  const app = await createApp(serving as Gateway, serving as ConcordSystem, { maxUploadBytes: 1 });
  await app.ready();
  const document = app.swagger() as unknown as ApiDocument;
  await app.close();
  return document;
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
