import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AdmissionGate } from '../../shared/admission-gate.ts';

/** What the process's gauges read when scraped: set by the composition root once the nodes run. */
export interface MetricSources {
  /** Templates in each gallery a repository searches. */
  galleries(): { node: string; gallery: string; templates: number }[];
  /** Each node's database connections. */
  pools(): { node: string; total: number; idle: number; waiting: number }[];
  /** Events not yet handled by each durable consumer this process runs. */
  consumerLag(): Promise<{ subject: string; consumer: string; pending: number }[]>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The Prometheus metrics of one process (prom-client). Counts come with the latencies: each
 * histogram's `_count` counts what it timed. docs/deployment.md lists every name.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources?: MetricSources;
  private readonly gates = new Map<string, AdmissionGate>();

  readonly httpRequests = new Histogram({
    name: 'concord_http_request_duration_seconds',
    help: 'HTTP requests answered, by route template, method, status and outcome (ok, refused, failed)',
    labelNames: ['route', 'method', 'status', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly busMessages = new Histogram({
    name: 'concord_bus_message_duration_seconds',
    help: 'Bus messages handled, by node, subject, kind (request or event) and outcome (ok or the error code)',
    labelNames: ['node', 'subject', 'kind', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const metrics = this;
    new Gauge({
      name: 'concord_gallery_templates',
      help: 'Finger templates in each gallery a repository searches',
      labelNames: ['node', 'gallery'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const g of metrics.sources?.galleries() ?? []) this.set({ node: g.node, gallery: g.gallery }, g.templates);
      },
    });
    new Gauge({
      name: 'concord_bus_consumer_pending',
      help: 'Durable events delivered to no handler yet, or not yet acknowledged, by consumer (bus lag)',
      labelNames: ['subject', 'consumer'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const c of (await metrics.sources?.consumerLag().catch(() => [])) ?? []) this.set({ subject: c.subject, consumer: c.consumer }, c.pending);
      },
    });
    new Gauge({
      name: 'concord_db_pool_connections',
      help: 'Database connections of each node, by state (total, idle)',
      labelNames: ['node', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const p of metrics.sources?.pools() ?? []) {
          this.set({ node: p.node, state: 'total' }, p.total);
          this.set({ node: p.node, state: 'idle' }, p.idle);
        }
      },
    });
    new Gauge({
      name: 'concord_db_pool_waiting',
      help: 'Queries of each node waiting for a database connection',
      labelNames: ['node'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const p of metrics.sources?.pools() ?? []) this.set({ node: p.node }, p.waiting);
      },
    });
    new Gauge({
      name: 'concord_admission_running',
      help: 'Work admitted and running, by admission gate (gateway, immigration, criminal, capture)',
      labelNames: ['gate'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [gate, g] of metrics.gates) this.set({ gate }, g.stats.running);
      },
    });
    new Gauge({
      name: 'concord_admission_queued',
      help: 'Work waiting for a place, by admission gate and priority',
      labelNames: ['gate', 'priority'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [gate, g] of metrics.gates) for (const [priority, n] of Object.entries(g.stats.queued)) this.set({ gate, priority }, n);
      },
    });
    new Counter({
      name: 'concord_admission_refused_total',
      help: 'Work refused as BUSY because its queue was full, by admission gate and priority',
      labelNames: ['gate', 'priority'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [gate, g] of metrics.gates) for (const [priority, n] of Object.entries(g.stats.refused)) this.inc({ gate, priority }, n);
      },
    });
  }

  /** Where the gauges read from (set once the nodes run). */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  /** Reports an admission gate's places, queues and refusals under `name`. */
  watchGate(name: string, gate: AdmissionGate): void {
    this.gates.set(name, gate);
  }
}
