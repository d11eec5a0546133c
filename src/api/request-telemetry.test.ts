import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { LOG_FIELDS } from '../infra/observability/logger.ts';
import { serveMetrics } from '../infra/observability/metrics-server.ts';
import { createTelemetry } from '../infra/observability/telemetry.ts';
import { indexPrints, multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/** Structured logs and Prometheus metrics, read from real requests through the API and the bus. */
const lines: string[] = [];
let t: TestSystem;
beforeAll(async () => {
  const telemetry = createTelemetry({ logLevel: 'info', replica: 'replica-under-test', logDestination: { write: (line: string) => void lines.push(line) } });
  t = await startTestSystem({ telemetry });
}, 120_000);
afterAll(async () => t?.close());

const today = new Date().toISOString().slice(0, 10);
const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const bearer = (user: string) => ({ authorization: `Bearer ${t.tokens[user]}` });

describe('logs', () => {
  it('write one line per request and per message handled, with allowed fields only and never personal data, prints or tokens', async () => {
    const person = { family: 'QUILLFEATHER', given: 'ROSALIND' };
    const dob = '1971-02-13';
    const enrolled = await t.post('/v1/encounters', 'port', [
      {
        name: 'subject',
        json: { tcn: 'LOG-POE-1', port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: person, dob, sex: 'F', nationality: 'FRA', document: { type: 'passport', number: 'PXQ778812', issuingCountry: 'FRA' } },
      },
      ...indexPrints('101_1', '102_1'),
    ]);
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const booked = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'LOG-CAR-1', purpose: 'C', name: person, dob, sex: 'F', dateOfArrest: today, charges: [{ literal: 'FORGERY OF PAPERS', severity: 'felony' }] } },
      ...indexPrints('101_2', '102_2'),
    ]);
    expect(booked.statusCode, booked.body).toBe(200);
    const { fbiNumber } = booked.json().sre;
    // A refusal whose value would be worth logging to a careless logger: a malformed date of birth.
    const refused = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'LOG-CAR-2', name: person, dob: '1971-02-31', dateOfArrest: today, charges: [{ literal: 'X', severity: 'felony' }] } },
      ...indexPrints('101_2', '102_2'),
    ]);
    expect(refused.statusCode).toBe(400);
    const probe = multipart(indexPrints('101_3', '102_2'));
    const identified = await t.app.inject({ method: 'POST', url: '/v1/identify?purpose=C', payload: probe.body, headers: { 'content-type': probe.contentType, ...bearer('field'), 'x-request-id': 'officer-desk-42' } });
    expect(identified.statusCode, identified.body).toBe(200);
    expect(identified.headers['x-request-id']).toBe('officer-desk-42');
    const history = await t.app.inject({ method: 'GET', url: `/v1/subjects/${fbiNumber}/history?purpose=C`, headers: bearer('fbi') });
    expect(history.statusCode, history.body).toBe(200);
    const code = await generate({ secret: t.totpSecrets.booking, epoch: Math.floor(Date.now() / 1000) });
    const session = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user: 'booking', password: DEMO_PASSWORD, code } });
    expect(session.statusCode, session.body).toBe(200);
    await t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${session.json().token}` } });
    await t.app.inject({ method: 'GET', url: `/v1/no-such-route/${person.family}` });

    const logged = records();
    for (const record of logged) {
      const extra = Object.keys(record).filter((key) => !['level', 'time', 'msg', ...LOG_FIELDS].includes(key));
      expect(extra, JSON.stringify(record)).toEqual([]);
    }
    const text = lines.join('\n');
    const secrets = [person.family, person.given, dob, '1971-02-31', 'PXQ778812', 'FORGERY', DEMO_PASSWORD, code, session.json().token, t.totpSecrets.booking, ...Object.values(t.tokens)];
    for (const secret of secrets) expect(text.includes(secret), `a log line holds "${secret}"`).toBe(false);
    // Prints, templates and images would show as long runs of base64.
    expect(text).not.toMatch(/[A-Za-z0-9+/=]{48,}/);

    const requests = logged.filter((r) => r.msg === 'request');
    const enrollLine = requests.find((r) => r.route === '/v1/encounters')!;
    expect(enrollLine).toMatchObject({ node: 'gateway', replica: 'replica-under-test', method: 'POST', status: 200, outcome: 'ok', tcn: 'LOG-POE-1', priority: 'interactive' });
    expect(typeof enrollLine.durationMs).toBe('number');
    expect(requests.find((r) => r.tcn === 'LOG-CAR-2')).toBeUndefined(); // refused before its TCN was read
    expect(requests.find((r) => r.route === '/v1/bookings' && r.status === 400)).toMatchObject({ outcome: 'refused', code: 'BAD_REQUEST', priority: 'bulk' });
    expect(requests.find((r) => r.route === '/v1/subjects/:id/history')).toMatchObject({ status: 200 });
    expect(requests.find((r) => r.route === 'unmatched')).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    // The request id crosses the bus: the repositories' lines for the identification carry it, and its priority.
    const identification = logged.filter((r) => r.requestId === 'officer-desk-42');
    expect(identification.filter((r) => r.msg === 'request')).toHaveLength(1);
    expect(identification.filter((r) => r.msg === 'message').map((r) => `${r.node} ${r.subject} ${r.priority}`).sort()).toEqual(['criminal criminal.identify interactive', 'immigration immigration.screen interactive']);
    // The booking's messages carry its TCN, the durable immigration check too (handled by its consumer).
    const bookingId = requests.find((r) => r.tcn === 'LOG-CAR-1')!.requestId;
    const bookingMessages = logged.filter((r) => r.msg === 'message' && r.requestId === bookingId);
    expect(bookingMessages.find((r) => r.subject === 'criminal.book')).toMatchObject({ node: 'criminal', tcn: 'LOG-CAR-1', priority: 'bulk', outcome: 'ok' });
   }, 120_000);
});

describe('metrics', () => {
  it('are served for Prometheus: requests and messages by route, subject and outcome, galleries, bus lag, admission', async () => {
    const served = await serveMetrics(t.system.telemetry.metrics.registry, { host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`http://127.0.0.1:${served.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toMatch(/concord_http_request_duration_seconds_count\{route="\/v1\/encounters",method="POST",status="200",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/concord_http_request_duration_seconds_count\{route="\/v1\/bookings",method="POST",status="400",outcome="refused"\} 1/);
      expect(text).toMatch(/concord_bus_message_duration_seconds_count\{node="criminal",subject="criminal.book",kind="request",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/concord_bus_message_duration_seconds_count\{node="immigration",subject="booking.immigration-check",kind="event",outcome="ok"\} [1-9]|concord_bus_message_duration_seconds_count\{node="immigration",subject="immigration.search",kind="request",outcome="ok"\} [1-9]/);
      expect(text).toMatch(/concord_gallery_templates\{node="criminal",gallery="subjects"\} [1-9]/);
      expect(text).toMatch(/concord_gallery_templates\{node="immigration",gallery="travellers"\} [1-9]/);
      expect(text).toMatch(/concord_bus_consumer_pending\{subject="wanted.changed",consumer="immigration-watchlist"\} 0/);
      expect(text).toMatch(/concord_admission_running\{gate="gateway"\} 0/);
      expect(text).toMatch(/concord_admission_queued\{gate="criminal",priority="interactive"\} 0/);
      expect(text).toContain('process_cpu_seconds_total');
      if (t.system.databases.gateway?.kind === 'postgres') expect(text).toMatch(/concord_db_pool_connections\{node="gateway",state="total"\} [1-9]/);
      // Nothing personal in the metrics either: labels are route templates and subjects.
      expect(text).not.toContain('QUILLFEATHER');
      expect((await fetch(`http://127.0.0.1:${served.port}/other`)).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});
