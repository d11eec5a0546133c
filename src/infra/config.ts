import { availableParallelism, hostname } from 'node:os';
import type { AdmissionLimits } from '../shared/admission-gate.ts';
import { ConcordError } from '../shared/errors.ts';

/**
 * The one configuration object, read once from the environment at start-up and passed down.
 * Nothing else in Concord reads process.env.
 */
export interface Config {
  host: string;
  port: number;
  /** Where the embedded databases keep their files; undefined keeps them in memory. */
  dataDir?: string;
  /** PostgreSQL for every node, unless a node has its own URL below. */
  databaseUrl?: string;
  nodeDatabaseUrls: { immigration?: string; criminal?: string; gateway?: string };
  /** Schema-name prefix on PostgreSQL, so several deployments (or test runs) can share a server. */
  schemaPrefix: string;
  natsUrl?: string;
  /** Largest accepted EBTS file (multipart uploads have fixed per-image and total limits). */
  maxUploadBytes: number;
  /** The data-key file for biometrics at rest; by default keys.json in the data directory. */
  keyFile?: string;
  /** Years each kind of record is kept (domain brief 7.3). */
  retention: { immigrationYears: number; criminalAgeYears: number; auditYears: number };
  /** Requests per minute a user, and an agency, may send. */
  rateLimits: { perUserPerMinute: number; perAgencyPerMinute: number };
  /** pino's level for the structured logs on standard output ('silent' turns them off). */
  logLevel: string;
  /** Where this process serves Prometheus metrics (`/metrics`); undefined serves none. */
  metricsPort?: number;
  /** This process's name in logs and metrics, unique among the replicas of a node. */
  replica: string;
  /** Admission under overload: HTTP requests at a gateway, bus requests at each repository. */
  admission: { gateway: AdmissionLimits; repository: AdmissionLimits };
  /**
   * The criminal gallery split over this many matcher processes (`concord matcher --shard k/N`);
   * undefined keeps it in the repository process. A search waits at most `deadlineMs` for the shards.
   */
  criminalShards?: { count: number; deadlineMs: number };
  /**
   * How long a gateway process holds the lease of a scheduled job (retention purge, hit-confirmation
   * escalation) without renewing it: when the holder dies, another process takes over within this.
   */
  leaseSeconds: number;
}

export function readConfig(env: Record<string, string | undefined>): Config {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8080),
    dataDir: env.CONCORD_DATA_DIR ?? '.data/db',
    databaseUrl: env.DATABASE_URL || undefined,
    nodeDatabaseUrls: {
      immigration: env.IMMIGRATION_DATABASE_URL || undefined,
      criminal: env.CRIMINAL_DATABASE_URL || undefined,
      gateway: env.GATEWAY_DATABASE_URL || undefined,
    },
    schemaPrefix: env.CONCORD_SCHEMA_PREFIX ?? 'concord',
    natsUrl: env.NATS_URL || undefined,
    keyFile: env.CONCORD_KEY_FILE || undefined,
    maxUploadBytes: Number(env.CONCORD_MAX_UPLOAD_BYTES ?? 40 * 1024 * 1024),
    retention: {
      immigrationYears: Number(env.CONCORD_RETENTION_IMMIGRATION_YEARS ?? 75),
      criminalAgeYears: Number(env.CONCORD_RETENTION_CRIMINAL_AGE ?? 110),
      auditYears: Number(env.CONCORD_RETENTION_AUDIT_YEARS ?? 7),
    },
    rateLimits: {
      perUserPerMinute: Number(env.CONCORD_RATE_LIMIT_USER ?? 600),
      perAgencyPerMinute: Number(env.CONCORD_RATE_LIMIT_AGENCY ?? 3000),
    },
    criminalShards: env.CONCORD_CRIMINAL_SHARDS
      ? {
          count: positiveInteger(env.CONCORD_CRIMINAL_SHARDS, 'CONCORD_CRIMINAL_SHARDS', 1024),
          deadlineMs: positiveInteger(env.CONCORD_SHARD_DEADLINE_MS ?? '2000', 'CONCORD_SHARD_DEADLINE_MS', 600_000),
        }
      : undefined,
    leaseSeconds: positiveInteger(env.CONCORD_LEASE_SECONDS ?? '30', 'CONCORD_LEASE_SECONDS', 3600),
    // Quiet under the test runner unless asked for: tests read logs through a stream of their own.
    logLevel: env.CONCORD_LOG_LEVEL || (env.VITEST ? 'silent' : 'info'),
    metricsPort: env.CONCORD_METRICS_PORT ? wholeNumber(env.CONCORD_METRICS_PORT, 'CONCORD_METRICS_PORT', 0, 65535) : undefined,
    replica: env.CONCORD_REPLICA || `${hostname()}-${process.pid}`,
    admission: {
      // A gateway mostly waits (on the capture workers and the repositories), so it admits a few requests per core.
      gateway: admissionLimits(env, 'CONCORD_GATEWAY', { concurrent: 4 * availableParallelism(), interactive: 64, bulk: 16 }),
      // A repository's searches keep a core busy each.
      repository: admissionLimits(env, 'CONCORD_REPOSITORY', { concurrent: availableParallelism(), interactive: 64, bulk: 32 }),
    },
  };
}

function admissionLimits(env: Record<string, string | undefined>, prefix: string, defaults: { concurrent: number; interactive: number; bulk: number }): AdmissionLimits {
  const setting = (name: string, fallback: number, least: number) => wholeNumber(env[`${prefix}_${name}`] ?? String(fallback), `${prefix}_${name}`, least, 100_000);
  const concurrent = setting('CONCURRENT', defaults.concurrent, 1);
  return {
    concurrent,
    // Half the places wait for officers by default: bulk work alone leaves them free.
    reservedForInteractive: Math.min(concurrent - 1, setting('RESERVED_INTERACTIVE', Math.floor(concurrent / 2), 0)),
    // A queue of 0 refuses whatever finds no place free.
    queued: { interactive: setting('QUEUE_INTERACTIVE', defaults.interactive, 0), bulk: setting('QUEUE_BULK', defaults.bulk, 0) },
    retryAfterSeconds: wholeNumber(env.CONCORD_RETRY_AFTER ?? '2', 'CONCORD_RETRY_AFTER', 1, 3600),
  };
}

/** A whole number from 1 to `most`, or a typed error naming the variable: a typo must not start a misconfigured node. */
function positiveInteger(text: string, variable: string, most: number): number {
  return wholeNumber(text, variable, 1, most);
}

function wholeNumber(text: string, variable: string, least: number, most: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < least || value > most) {
    throw new ConcordError('BAD_CONFIG', `${variable} must be a whole number from ${least} to ${most}, not "${text}"`, { variable, value: text });
  }
  return value;
}
