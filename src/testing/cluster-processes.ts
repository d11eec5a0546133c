import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readConfig, type Config } from '../infra/config.ts';
import { KeyRing } from '../infra/crypto/key-ring.ts';
import type { Database } from '../infra/db/database.ts';
import { openNodeDatabase, type NodeName } from '../infra/db/open-node-database.ts';
import { registerAgency, registerUser } from '../gateway/access.ts';
import { registerSystemToken } from '../gateway/client-credentials.ts';
import { DEMO_AGENCIES, DEMO_USERS, demoSystem } from '../demo/demo-identities.ts';
import { dropDeploymentData } from './test-system.ts';
import { freePort, killAndWait, recentOutput, trackChild, waitForLine } from './child-processes.ts';

/**
 * A Concord cluster of real OS processes on PostgreSQL and NATS, for fault drills and the cluster
 * benchmark: each node replica is a `concord serve --node … --replica …` child of its own, in
 * schemas and a stream of the cluster's own (a fresh prefix), sharing one data-key file. Replicas
 * are killed with SIGKILL, as a crash would, and started again under the same name and port.
 * `close` kills every child and drops the cluster's schemas and stream, also after a failure.
 */
export type NodeKind = NodeName;

export interface NodeProcess {
  readonly name: string;
  readonly node: NodeKind;
  /** The gateway's base URL; undefined for repositories (they serve no HTTP). */
  readonly url?: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The last lines it wrote, for failure messages. */
  output(): string;
}

export interface ClusterOptions {
  databaseUrl: string;
  natsUrl: string;
  /** Extra environment for every child (lease times, rate limits, log level…). */
  env?: Record<string, string>;
}

const CONCORD = fileURLToPath(new URL('../../bin/concord.mjs', import.meta.url));
/** Starting a replica loads tsx, migrates and loads its gallery: generous on a busy machine. */
const READY_TIMEOUT_MS = 180_000;
/** The line each `concord serve` child prints once it serves: `ready: nodes=… replica=… url=…`. */
const READY_LINE = /^ready: .*?(?:url=(\S+))?\s*$/;
let clusters = 0;

interface Replica extends NodeProcess {
  child?: ChildProcess;
  port?: number;
  env: Record<string, string>;
}

export class LocalCluster {
  readonly prefix: string;
  readonly config: Config;
  /** An API token for each demo user (`demo-<id>` system), once `registerDemoAccess` ran. */
  readonly tokens: Record<string, string> = {};
  private readonly replicas = new Map<string, Replica>();
  private readonly databases = new Map<NodeKind, Database>();

  private constructor(
    private readonly options: ClusterOptions,
    private readonly dataDir: string,
  ) {
    this.prefix = `drill${process.pid}_${Date.now().toString(36)}_${clusters++}`;
    this.config = { ...readConfig({ DATABASE_URL: options.databaseUrl, NATS_URL: options.natsUrl }), schemaPrefix: this.prefix, dataDir };
  }

  static async create(options: ClusterOptions): Promise<LocalCluster> {
    const dataDir = await mkdtemp(join(tmpdir(), 'concord-cluster-'));
    const cluster = new LocalCluster(options, dataDir);
    // One key ring for every replica: a template one sealed, the others open.
    KeyRing.fromFile(cluster.keyFile);
    return cluster;
  }

  get natsUrl(): string {
    return this.options.natsUrl;
  }

  private get keyFile(): string {
    return join(this.dataDir, 'keys.json');
  }

  /** PostgreSQL's application_name of every connection a replica opens: `<prefix>-<replica>`. */
  applicationName(replica: string): string {
    return `${this.prefix}-${replica}`;
  }

  /** Starts a replica (gateways on a free port of 127.0.0.1) and waits until it says it is ready. */
  async start(node: NodeKind, name: string, env: Record<string, string> = {}): Promise<NodeProcess> {
    if (this.replicas.get(name)?.running) throw new Error(`replica ${name} is already running`);
    const port = node === 'gateway' ? await freePort() : undefined;
    const replica: Replica = {
      name,
      node,
      env,
      port,
      url: port === undefined ? undefined : `http://127.0.0.1:${port}`,
      get pid() {
        return replica.child?.pid;
      },
      get running() {
        return !!replica.child && replica.child.exitCode === null && replica.child.signalCode === null;
      },
      output: () => (replica.child ? recentOutput(replica.child) : ''),
    };
    this.replicas.set(name, replica);
    await this.spawn(replica);
    return replica;
  }

  /** Starts a stopped or killed replica again, under its name, node, port and environment. */
  async restart(name: string): Promise<NodeProcess> {
    const replica = this.entry(name);
    if (replica.running) throw new Error(`replica ${name} is still running`);
    await this.spawn(replica);
    return replica;
  }

  /** Each replica's state and last output lines, for a failed test's report. */
  describeReplicas(): string {
    return [...this.replicas.values()].map((r) => `--- ${r.name} (${r.running ? `running, pid ${r.pid}` : 'stopped'}):\n${r.output()}`).join('\n');
  }

  /** Starts again every replica that is not running, together, and lets a paused one go on. */
  async restartStopped(): Promise<void> {
    for (const r of this.replicas.values()) if (r.running) r.child?.kill('SIGCONT');
    await Promise.all([...this.replicas.values()].filter((r) => !r.running).map((r) => this.spawn(r)));
  }

  /** SIGKILL: the replica dies at once, mid-request, as in a crash. */
  async kill(name: string): Promise<void> {
    const replica = this.entry(name);
    if (replica.child) await killAndWait(replica.child, 'SIGKILL');
  }

  /** SIGSTOP: the replica holds still (no request finishes) until `resume` or `kill`. */
  pause(name: string): void {
    this.entry(name).child?.kill('SIGSTOP');
  }

  resume(name: string): void {
    this.entry(name).child?.kill('SIGCONT');
  }

  replica(name: string): NodeProcess {
    return this.entry(name);
  }

  private entry(name: string): Replica {
    const replica = this.replicas.get(name);
    if (!replica) throw new Error(`no replica named ${name}`);
    return replica;
  }

  /** The gateways' base URLs, running or not, in the order they were started. */
  gatewayUrls(): string[] {
    return [...this.replicas.values()].filter((r) => r.node === 'gateway').map((r) => r.url!);
  }

  /** The node's database as the test sees it (its own pool, not a replica's). */
  async database(node: NodeKind): Promise<Database> {
    let db = this.databases.get(node);
    if (!db) {
      db = await openNodeDatabase(this.config, node);
      this.databases.set(node, db);
    }
    return db;
  }

  /**
   * The demo agencies, users and their systems' API tokens, written in the gateway database (a
   * gateway must have run once, to create its tables).
   */
  async registerDemoAccess(): Promise<Record<string, string>> {
    const db = await this.database('gateway');
    const expires = new Date(Date.now() + 24 * 3600 * 1000);
    for (const agency of DEMO_AGENCIES) await registerAgency(db, agency);
    for (const user of DEMO_USERS) {
      await registerUser(db, user);
      this.tokens[user.id] = await registerSystemToken(db, demoSystem(user), expires);
    }
    return this.tokens;
  }

  /** Ends the PostgreSQL connections of the replicas named (all of the cluster's by default), as a database restart would. */
  async terminateDatabaseConnections(replicas?: string[]): Promise<number> {
    const names = (replicas ?? [...this.replicas.keys()]).map((r) => this.applicationName(r));
    const admin = new pg.Client({ connectionString: this.options.databaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = ANY($1) AND pid <> pg_backend_pid()', [names]);
      return rows.filter((r) => r.ended).length;
    } finally {
      await admin.end();
    }
  }

  /** Kills every child, closes the test's own pools, drops the schemas and the stream, removes the data directory. */
  async close(): Promise<void> {
    const failures: unknown[] = [];
    await Promise.all([...this.replicas.values()].map((r) => (r.child ? killAndWait(r.child).catch((e) => failures.push(e)) : undefined)));
    for (const db of this.databases.values()) await db.close().catch((e: unknown) => failures.push(e));
    this.databases.clear();
    await dropDeploymentData(this.config).catch((e: unknown) => failures.push(e));
    await rm(this.dataDir, { recursive: true, force: true });
    if (failures.length > 0) throw failures[0];
  }

  private async spawn(replica: Replica): Promise<void> {
    const args = [CONCORD, 'serve', '--node', replica.node, '--replica', replica.name];
    if (replica.port !== undefined) args.push('--port', String(replica.port));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: this.options.databaseUrl,
      NATS_URL: this.options.natsUrl,
      CONCORD_SCHEMA_PREFIX: this.prefix,
      CONCORD_DATA_DIR: this.dataDir,
      CONCORD_KEY_FILE: this.keyFile,
      CONCORD_LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PGAPPNAME: this.applicationName(replica.name),
      ...this.options.env,
      ...replica.env,
    };
    const child = trackChild(spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    replica.child = child;
    try {
      await waitForLine(child, READY_LINE, READY_TIMEOUT_MS, `${replica.node} replica ${replica.name}`);
    } catch (error) {
      await killAndWait(child);
      throw error;
    }
  }
}

/** A cluster for the tests of one block, closed whatever happens: `await withCluster(options, async (c) => …)`. */
export async function withCluster<T>(options: ClusterOptions, work: (cluster: LocalCluster) => Promise<T>): Promise<T> {
  const cluster = await LocalCluster.create(options);
  try {
    return await work(cluster);
  } finally {
    await cluster.close();
  }
}
