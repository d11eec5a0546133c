import type { MessageBus } from '../infra/bus/message-bus.ts';

const REPOSITORIES = ['immigration', 'criminal'] as const;

/** Resolves once a replica of each repository answers its health check; says every 10 s what it still waits for. */
export async function waitForRepositories(bus: MessageBus, say: (line: string) => void, pollMs = 500): Promise<void> {
  let lastSaid = 0;
  for (;;) {
    const answers = await Promise.all(REPOSITORIES.map((node) => bus.request(`${node}.health`, {}, 2000).then(() => true, () => false)));
    const missing = REPOSITORIES.filter((_, k) => !answers[k]);
    if (missing.length === 0) return;
    if (Date.now() - lastSaid >= 10_000) {
      say(`waiting for the ${missing.join(' and ')} node${missing.length > 1 ? 's' : ''} to answer on the bus…`);
      lastSaid = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
