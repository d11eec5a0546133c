import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { KeyRing } from '../infra/crypto/key-ring.ts';
import { ConcordError } from '../shared/errors.ts';
import type { Config } from '../infra/config.ts';
import type { Database } from '../infra/db/database.ts';
import { openNodeDatabase, type NodeName } from '../infra/db/open-node-database.ts';
import type { MessageBus } from '../infra/bus/message-bus.ts';
import { createMemoryBus } from '../infra/bus/memory-bus.ts';
import { createNatsBus } from '../infra/bus/nats-bus.ts';
import { observedBus } from '../infra/bus/observed-bus.ts';
import { createTelemetry, type Telemetry } from '../infra/observability/telemetry.ts';
import { AdmissionGate } from '../shared/admission-gate.ts';
import { ImmigrationNode } from '../repositories/immigration/immigration-node.ts';
import { CriminalNode } from '../repositories/criminal/criminal-node.ts';
import { Gateway } from '../gateway/gateway.ts';
import { Presence } from './presence.ts';
import { RELEASE } from './release.ts';
import { combineReports } from '../repositories/shared/template-sealer.ts';
import { combineReextractions, type ReextractionReport } from '../repositories/shared/reextract-templates.ts';

/**
 * The composition root: opens each node's database, connects the bus and starts the nodes. One
 * process runs all three by default; `nodes` starts a subset (separate services, or a node kept
 * down in a fault drill).
 */
export interface ConcordSystem {
  bus: MessageBus;
  /** This process's logs and metrics. */
  telemetry: Telemetry;
  gateway?: Gateway;
  immigration?: ImmigrationNode;
  criminal?: CriminalNode;
  databases: Partial<Record<NodeName, Database>>;
  /** Every replica of every node heard on the bus, this process included. */
  presence?: Presence;
  /** Starts a node that was not running (a repository coming back), on its existing database. */
  startNode(node: 'immigration' | 'criminal'): Promise<void>;
  /**
   * Adds a fresh data key, makes it active and seals every stored template again under it,
   * online. Values that fail to open are left and reported; once a rotation over both
   * repositories refuses none, values sealed without a binding are refused from then on.
   */
  rotateKeys(): Promise<{ keyId: string; resealed: number; refused: string[] }>;
  /** Stored templates an older extractor made, made again from their images in both repositories. */
  reextractTemplates(): Promise<ReextractionReport>;
  /** Stored templates the running repositories refused at start (altered, moved, unsealed), by binding. */
  refusedTemplates(): string[];
  /** Takes a repository node down (fault drills): it stops answering; messages for it wait on the bus. */
  stopNode(node: 'immigration' | 'criminal'): Promise<void>;
  close(): Promise<void>;
}

export interface SystemOptions {
  nodes?: NodeName[];
  bus?: MessageBus;
  galleryWorkers?: number;
  /** This process's name among the replicas of its nodes (in health reports and logs). */
  replica?: string;
  /** NATS subject/stream prefix, so test runs sharing one server stay apart. */
  busPrefix?: string;
  now?: () => Date;
  /** Data keys for biometrics at rest; by default the key file beside the embedded data, or per-process keys. */
  keys?: KeyRing;
  /** Logs and metrics; by default made from the configuration (logs on standard output). */
  telemetry?: Telemetry;
}

/** The data keys of a deployment: its key file (by default beside the embedded data), or per-process keys without one. */
export function deploymentKeys(config: Config): KeyRing {
  const keyFile = config.keyFile ?? (config.dataDir ? join(config.dataDir, 'keys.json') : undefined);
  if (!keyFile) return KeyRing.ephemeral();
  mkdirSync(dirname(keyFile), { recursive: true });
  return KeyRing.fromFile(keyFile);
}

export async function startSystem(config: Config, options: SystemOptions = {}): Promise<ConcordSystem> {
  const bus = options.bus ?? (config.natsUrl ? await createNatsBus(config.natsUrl, { prefix: options.busPrefix ?? config.schemaPrefix }) : createMemoryBus());
  const galleryWorkers = options.galleryWorkers ?? availableParallelism();
  const replica = options.replica ?? config.replica;
  const telemetry = options.telemetry ?? createTelemetry({ logLevel: config.logLevel, replica });
  // Each repository admits bus requests by priority; the gate outlives a node stopped and started again.
  const gates = {
    immigration: new AdmissionGate('the immigration repository', config.admission.repository),
    criminal: new AdmissionGate('the criminal repository', config.admission.repository),
  };
  const sealer = options.keys ?? deploymentKeys(config);
  // Key rotation and re-extraction rewrite the same stored templates: one job at a time.
  let rewriting: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(job: () => Promise<T>): Promise<T> => {
    const run = rewriting.then(job, job);
    rewriting = run.catch(() => undefined);
    return run;
  };
  const system: ConcordSystem = {
    bus,
    telemetry,
    databases: {},
    async startNode(node) {
      const db = system.databases[node] ?? (await openNodeDatabase(config, node));
      system.databases[node] = db;
      const nodeBus = observedBus(bus, node, telemetry, gates[node]);
      if (node === 'immigration') system.immigration = await ImmigrationNode.start(db, nodeBus, { galleryWorkers, sealer });
      else system.criminal = await CriminalNode.start(db, nodeBus, { galleryWorkers, sealer, shards: config.criminalShards });
    },
    rotateKeys: () =>
      oneAtATime(async () => {
        const keyId = sealer.rotate();
        const reports = [await system.immigration?.resealTemplates(), await system.criminal?.resealTemplates()];
        const { resealed, refused } = combineReports(reports.filter((r) => r !== undefined));
        if (refused.length === 0 && reports.every((r) => r !== undefined)) sealer.requireBindings();
        return { keyId, resealed, refused };
      }),
    reextractTemplates: () =>
      oneAtATime(async () => {
        const down = (['immigration', 'criminal'] as const).filter((node) => !system[node]);
        if (down.length > 0) throw new ConcordError('NODE_UNAVAILABLE', `the ${down.join(' and ')} repository is down: re-extract when both run`, { nodes: down.join(', ') });
        return combineReextractions([await system.immigration!.reextractTemplates(), await system.criminal!.reextractTemplates()]);
      }),
    refusedTemplates() {
      return [...(system.immigration?.refusedTemplates ?? []), ...(system.criminal?.refusedTemplates ?? [])];
    },
    async stopNode(node) {
      await system[node]?.close();
      system[node] = undefined;
    },
    async close() {
      await system.presence?.close();
      await system.immigration?.close();
      await system.criminal?.close();
      if (!options.bus) await bus.close();
      await system.gateway?.close();
      for (const db of Object.values(system.databases)) await db.close();
    },
  };
  const nodes = options.nodes ?? ['gateway', 'immigration', 'criminal'];
  if (nodes.includes('gateway')) {
    const db = await openNodeDatabase(config, 'gateway');
    system.databases.gateway = db;
    system.gateway = await Gateway.start(db, observedBus(bus, 'gateway', telemetry), { now: options.now, auditSigner: sealer });
  }
  for (const node of ['immigration', 'criminal'] as const) if (nodes.includes(node)) telemetry.metrics.watchGate(node, gates[node]);
  telemetry.metrics.watch({
    galleries: () =>
      (['immigration', 'criminal'] as const).flatMap((node) => Object.entries(system[node]?.galleryTemplates ?? {}).map(([gallery, templates]) => ({ node, gallery, templates }))),
    pools: () => Object.entries(system.databases).flatMap(([node, db]) => (db?.connections ? [{ node, ...db.connections() }] : [])),
    consumerLag: () => bus.consumerLag(),
  });
  for (const node of ['immigration', 'criminal'] as const) if (nodes.includes(node)) await system.startNode(node);
  const startedAt = new Date().toISOString();
  system.presence = await Presence.start(bus, () => ({
    replica,
    nodes: (['gateway', 'immigration', 'criminal'] as const).filter((node) => system[node]),
    version: RELEASE,
    startedAt,
    refusedTemplates: { immigration: system.immigration?.refusedTemplates.length, criminal: system.criminal?.refusedTemplates.length },
  }));
  return system;
}
