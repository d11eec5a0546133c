import { describe, expect, it } from 'vitest';
import { indexPrints, useTestSystem } from '../testing/test-system.ts';

/** Overload at the gateway: one place, one waiting request of each priority, through real requests. */
const t = useTestSystem({}, { admission: { concurrent: 1, queued: { interactive: 1, bulk: 1 }, retryAfterSeconds: 7 } });

const today = new Date().toISOString().slice(0, 10);
const book = (tcn: string) =>
  t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn, purpose: 'C', name: { family: 'ROE', given: 'RICHARD' }, dob: '1980-01-01', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] } },
    ...indexPrints('103_1', '104_1'),
  ]);
const identify = () => t.post('/v1/identify?purpose=C', 'field', indexPrints('105_1', '106_1'));

/** The gateway gate's figure, as Prometheus would read it. */
async function gateway(metric: 'running' | 'queued', priority?: string): Promise<number> {
  const text = await t.system.telemetry.metrics.registry.getSingleMetricAsString(`concord_admission_${metric}`);
  const labels = priority ? `gate="gateway",priority="${priority}"` : 'gate="gateway"';
  return Number(new RegExp(`\\{${labels}\\} (\\d+)`).exec(text)?.[1] ?? NaN);
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let k = 0; k < 1000 && !(await condition()); k++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await condition()).toBe(true);
}

describe('admission under overload', () => {
  it('serves a waiting rapid identification before bookings queued earlier, and refuses beyond the queue at once with 503 BUSY and Retry-After', async () => {
    const answered: string[] = [];
    const track = <T>(name: string, request: Promise<T>) => request.then((response) => (answered.push(name), response));
    const running = track('booking 1', book('ADM-1'));
    await until(async () => (await gateway('running')) === 1);
    const queuedBooking = track('booking 2', book('ADM-2'));
    await until(async () => (await gateway('queued', 'bulk')) === 1);
    const queuedIdentification = track('identification', identify());
    await until(async () => (await gateway('queued', 'interactive')) === 1);

    const [refusedBooking, refusedIdentification] = await Promise.all([book('ADM-3'), identify()]);
    for (const refused of [refusedBooking, refusedIdentification]) {
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('BUSY');
      expect(refused.headers['retry-after']).toBe('7');
    }
    // Refused at once: the first booking had not finished.
    expect(answered).toEqual([]);

    const answers = await Promise.all([running, queuedBooking, queuedIdentification]);
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    expect(answered).toEqual(['booking 1', 'identification', 'booking 2']);
    expect(await gateway('running')).toBe(0);
    // The refused TCN was never claimed: sent again once there is room, it is booked.
    expect((await book('ADM-3')).statusCode).toBe(200);
  }, 120_000);
});
