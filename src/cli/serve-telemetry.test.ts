import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/child-processes.ts';
import { withCluster } from '../testing/cluster-processes.ts';

/**
 * Logs and metrics of separate processes: a request's id, sent to one gateway process, shows in
 * the log lines of the repository processes that handled its messages, and every process, a
 * repository's too, serves its own metrics.
 */
const databaseUrl = process.env.DATABASE_URL;
const natsUrl = process.env.NATS_URL;
const print = (name: string) => new Blob([readFileSync(new URL(`../../fixtures/fingerprints/${name}.png`, import.meta.url))], { type: 'image/png' });

describe.skipIf(!databaseUrl || !natsUrl)('logs and metrics of separate processes (PostgreSQL + NATS)', () => {
  it('follows one request id from the gateway process into both repository processes, and scrapes each process', async () => {
    await withCluster({ databaseUrl: databaseUrl!, natsUrl: natsUrl!, env: { CONCORD_LOG_LEVEL: 'info' } }, async (cluster) => {
      const ports = { gateway: await freePort(), immigration: await freePort(), criminal: await freePort() };
      const [immigration, criminal] = await Promise.all([
        cluster.start('immigration', 'imm-1', { CONCORD_METRICS_PORT: String(ports.immigration) }),
        cluster.start('criminal', 'crim-1', { CONCORD_METRICS_PORT: String(ports.criminal) }),
      ]);
      const gateway = await cluster.start('gateway', 'gw-1', { CONCORD_METRICS_PORT: String(ports.gateway) });
      const tokens = await cluster.registerDemoAccess();

      const form = new FormData();
      form.append('finger_2', print('101_1'), 'finger_2.png');
      form.append('finger_7', print('102_1'), 'finger_7.png');
      const answer = await fetch(`${gateway.url}/v1/identify?purpose=C`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.field}`, 'x-request-id': 'trace-across-processes' } });
      expect(answer.status, await answer.clone().text()).toBe(200);
      expect(answer.headers.get('x-request-id')).toBe('trace-across-processes');

      const linesOf = (process: { output(): string }) =>
        process
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => line.requestId === 'trace-across-processes');
      await until(() => linesOf(criminal).length > 0 && linesOf(immigration).length > 0 && linesOf(gateway).length > 0);
      expect(linesOf(gateway)).toEqual([expect.objectContaining({ msg: 'request', node: 'gateway', replica: 'gw-1', route: '/v1/identify', status: 200, priority: 'interactive' })]);
      expect(linesOf(criminal)).toEqual([expect.objectContaining({ msg: 'message', node: 'criminal', replica: 'crim-1', subject: 'criminal.identify', priority: 'interactive', outcome: 'ok' })]);
      expect(linesOf(immigration)).toEqual([expect.objectContaining({ msg: 'message', node: 'immigration', replica: 'imm-1', subject: 'immigration.screen', priority: 'interactive', outcome: 'ok' })]);

      const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const [gatewayMetrics, criminalMetrics, immigrationMetrics] = await Promise.all([scrape(ports.gateway), scrape(ports.criminal), scrape(ports.immigration)]);
      expect(gatewayMetrics).toMatch(/concord_http_request_duration_seconds_count\{route="\/v1\/identify",method="POST",status="200",outcome="ok"\} 1/);
      expect(criminalMetrics).toMatch(/concord_bus_message_duration_seconds_count\{node="criminal",subject="criminal.identify",kind="request",outcome="ok"\} 1/);
      expect(criminalMetrics).toMatch(/concord_db_pool_connections\{node="criminal",state="total"\} \d+/);
      expect(criminalMetrics).toMatch(/concord_gallery_templates\{node="criminal",gallery="subjects"\} 0/);
      expect(criminalMetrics).not.toContain('concord_http_request_duration_seconds_count');
      expect(immigrationMetrics).toMatch(/concord_bus_consumer_pending\{subject="booking.immigration-check",consumer="immigration-bookings"\} 0/);
    });
  }, 300_000);
});

async function until(condition: () => boolean): Promise<void> {
  for (let k = 0; k < 200 && !condition(); k++) await new Promise((resolve) => setTimeout(resolve, 50));
}
