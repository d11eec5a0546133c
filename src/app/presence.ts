import type { MessageBus, Unsubscribe } from '../infra/bus/message-bus.ts';
import { MESSAGE_VERSION } from '../infra/bus/message-version.ts';

/** What each process says of itself on the bus, every few seconds. */
export interface Heartbeat {
  replica: string;
  nodes: string[];
  /** The code's release, and the message version it sends. */
  version: string;
  messageVersion: number;
  startedAt: string;
  /** Stored templates each repository node of this replica refused at start (counted, never named). */
  refusedTemplates: Partial<Record<'immigration' | 'criminal', number>>;
  /** A first heartbeat asks everyone to answer with theirs at once; a last one says it is leaving. */
  hello?: boolean;
  leaving?: boolean;
}

export interface SeenReplica extends Omit<Heartbeat, 'hello' | 'leaving'> {
  lastSeen: string;
}

const SUBJECT = 'presence';

/**
 * Every replica of every node, as heard over the bus: each process broadcasts a heartbeat every
 * `intervalMs`, and one not heard for `expireMs` (three beats) is no longer listed. A process
 * stopped politely says so and leaves the list at once.
 */
export class Presence {
  private readonly seen = new Map<string, SeenReplica>();
  private timer?: ReturnType<typeof setInterval>;
  private unlisten?: Unsubscribe;

  private constructor(
    private readonly bus: MessageBus,
    private readonly self: () => Omit<Heartbeat, 'messageVersion'>,
    private readonly expireMs: number,
  ) {}

  static async start(bus: MessageBus, self: () => Omit<Heartbeat, 'messageVersion'>, options: { intervalMs?: number; expireMs?: number } = {}): Promise<Presence> {
    const intervalMs = options.intervalMs ?? 5000;
    const presence = new Presence(bus, self, options.expireMs ?? 3 * intervalMs);
    presence.unlisten = await bus.listen(SUBJECT, (beat: Heartbeat) => presence.hear(beat));
    await presence.beat({ hello: true });
    presence.timer = setInterval(() => void presence.beat().catch(() => undefined), intervalMs);
    presence.timer.unref();
    return presence;
  }

  /** The replicas heard from within the expiry, this one included, by node then name. */
  replicas(now = Date.now()): SeenReplica[] {
    for (const [name, replica] of this.seen) if (now - Date.parse(replica.lastSeen) > this.expireMs) this.seen.delete(name);
    return [...this.seen.values()].sort((a, b) => a.nodes.join().localeCompare(b.nodes.join()) || a.replica.localeCompare(b.replica));
  }

  /** Templates refused at start by each repository, as its replicas report them (they share its database: the largest count). */
  refusedTemplates(): number {
    let total = 0;
    for (const node of ['immigration', 'criminal'] as const) total += Math.max(0, ...this.replicas().map((r) => r.refusedTemplates?.[node] ?? 0));
    return total;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.unlisten?.();
    await this.beat({ leaving: true }).catch(() => undefined);
  }

  private hear(beat: Heartbeat): void {
    if (typeof beat?.replica !== 'string' || !Array.isArray(beat.nodes)) return;
    if (beat.leaving) {
      this.seen.delete(beat.replica);
      return;
    }
    const { hello, leaving: _leaving, ...rest } = beat;
    this.seen.set(beat.replica, { ...rest, lastSeen: new Date().toISOString() });
    if (hello && beat.replica !== this.self().replica) void this.beat().catch(() => undefined);
  }

  private beat(flags: { hello?: boolean; leaving?: boolean } = {}): Promise<void> {
    return this.bus.broadcast(SUBJECT, { ...this.self(), messageVersion: MESSAGE_VERSION, ...flags } satisfies Heartbeat);
  }
}
