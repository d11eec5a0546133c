import { createServer } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * A small HTTP listener of its own for Prometheus's scrapes (`GET /metrics`), apart from the API:
 * every process has one, including repositories that serve no HTTP, and it can listen on an
 * address only the monitoring network reaches.
 */
export async function serveMetrics(registry: Registry, where: { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot serve metrics on ${where.host}:${where.port} (CONCORD_METRICS_PORT): ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)),
    );
    server.listen(where.port, where.host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : where.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
