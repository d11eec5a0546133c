import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const PORTAL_DIR = new URL('../portal/', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * The officer portal: a few static files (no build step), read once at start and served from
 * memory under /portal/, with the page itself at /. Only files that exist at start are served,
 * so no path from a request ever reaches the file system.
 */
export function registerPortal(app: FastifyInstance): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (TYPES[extname(entry.name)]) files.set(`${prefix}${entry.name}`, { body: readFileSync(join(dir, entry.name)), type: TYPES[extname(entry.name)] });
    }
  };
  walk(PORTAL_DIR, '');
  const page = files.get('index.html')!;
  const security = {
    'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.headers(security).type(page.type).send(page.body));
  app.get<{ Params: { '*': string } }>('/portal/*', { schema: { hide: true } }, async (request, reply) => {
    const file = files.get(request.params['*']);
    if (!file) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no portal file ${request.params['*']}`, where: {} } });
    return reply.headers(security).type(file.type).send(file.body);
  });
}
