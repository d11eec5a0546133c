import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { readConfig, type Config } from '../infra/config.ts';
import { startSystem, type ConcordSystem, type SystemOptions } from '../app/concord-system.ts';
import { buildServer, type ServerOptions } from '../api/server.ts';
import pg from 'pg';
import { deleteNatsStream } from '../infra/bus/nats-bus.ts';
import { registerAgency, registerUser } from '../gateway/access.ts';
import { DEMO_AGENCIES, DEMO_PASSWORD, DEMO_USERS, demoSystem } from '../demo/demo-identities.ts';
import { registerSystemToken } from '../gateway/client-credentials.ts';
import { setCredentials } from '../gateway/sign-in.ts';

/**
 * A whole Concord for end-to-end tests: embedded PGlite in memory and the in-process bus, or the
 * machine's PostgreSQL and NATS when DATABASE_URL / NATS_URL are set (each run in fresh schemas
 * and streams of its own).
 */
export interface TestSystem {
  system: ConcordSystem;
  /** The configuration it runs with (its schema prefix names its schemas and stream). */
  config: Config;
  app: FastifyInstance;
  /** An API token per demo user: of that user's demo system (`client:demo-<id>`), valid long past any clock a test sets. */
  tokens: Record<string, string>;
  /** Each demo user's one-time-code secret; their password is DEMO_PASSWORD. */
  totpSecrets: Record<string, string>;
  /** A multipart POST as a demo user (parts as for `multipart`). */
  post(url: string, user: string, parts: Parameters<typeof multipart>[0]): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let run = 0;
const TEST_TOKENS_EXPIRE = new Date('2200-01-01T00:00:00Z');

/**
 * A test system for the tests of one file: started before them, closed after them. The value
 * returned stands for the system once started (use it inside tests and hooks, not at load time).
 */
export function useTestSystem(options: SystemOptions = {}, server: Partial<ServerOptions> = {}): TestSystem {
  let current: TestSystem | undefined;
  beforeAll(async () => {
    current = await startTestSystem(options, server);
  }, 120_000);
  afterAll(async () => current?.close());
  return new Proxy({} as TestSystem, {
    get: (_target, key) => {
      if (!current) throw new Error('the test system is used before it started (use it inside tests or hooks)');
      return current[key as keyof TestSystem];
    },
  });
}

export async function startTestSystem(options: SystemOptions = {}, server: Partial<ServerOptions> & { config?: Partial<Config> } = {}): Promise<TestSystem> {
  const unique = `t${process.pid}_${Date.now().toString(36)}_${run++}`;
  const config: Config = { ...readConfig(process.env), dataDir: undefined, schemaPrefix: unique, ...server.config };
  const system = await startSystem(config, { galleryWorkers: 0, busPrefix: unique, ...options });
  const app = await buildServer(system, { maxUploadBytes: 2 * 1024 * 1024, ...server });
  const tokens: Record<string, string> = {};
  const db = system.databases.gateway!;
  for (const agency of DEMO_AGENCIES) await registerAgency(db, agency);
  const totpSecrets: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    await registerUser(db, user);
    tokens[user.id] = await registerSystemToken(db, demoSystem(user), TEST_TOKENS_EXPIRE);
    totpSecrets[user.id] = (await setCredentials(db, user.id, DEMO_PASSWORD)).totpSecret;
  }
  return {
    system,
    config,
    app,
    tokens,
    totpSecrets,
    post(url, user, parts) {
      const { body, contentType } = multipart(parts);
      return app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${tokens[user]}` } });
    },
    async close() {
      await app.close();
      await system.close();
      await dropDeploymentData(config);
    },
  };
}

/**
 * Leaves a shared PostgreSQL and NATS as they were found: drops the schemas and the stream a
 * deployment with `config.schemaPrefix` created (tests and benchmarks use a prefix of their own).
 */
export async function dropDeploymentData(config: Config): Promise<void> {
  if (config.databaseUrl) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    for (const node of ['gateway', 'immigration', 'criminal']) await client.query(`DROP SCHEMA IF EXISTS ${config.schemaPrefix}_${node} CASCADE`);
    await client.end();
  }
  if (config.natsUrl) await deleteNatsStream(config.natsUrl, config.schemaPrefix);
}

const FINGERPRINTS = new URL('../../fixtures/fingerprints/', import.meta.url);

/** Two FVC impressions as the index-finger parts (finger_2, finger_7) of a multipart request. */
export function indexPrints(right: string, left: string): { name: string; file: Uint8Array }[] {
  return [
    { name: 'finger_2', file: fixturePrint(right) },
    { name: 'finger_7', file: fixturePrint(left) },
  ];
}

export function fixturePrint(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${name}.png`, FINGERPRINTS)));
}

/** A multipart/form-data body built by hand, so tests control every byte of it. */
export function multipart(parts: { name: string; json?: unknown; text?: string; file?: Uint8Array }[]): { body: Buffer; contentType: string } {
  const boundary = `----concord${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file ? `form-data; name="${part.name}"; filename="${part.name}.png"` : `form-data; name="${part.name}"`;
    const type = part.file ? 'image/png' : part.json !== undefined ? 'application/json' : 'text/plain';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n`));
    chunks.push(part.file ? Buffer.from(part.file) : Buffer.from(part.json !== undefined ? JSON.stringify(part.json) : part.text ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
