import { RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import { ConcordError } from '../../shared/errors.ts';

/**
 * The JetStream stream of a deployment's durable events, as every node expects it: on disk, kept
 * until its limits (never dropped once some consumer read it, as an interest or work-queue stream
 * would: a node kind whose consumer is not yet made, or is down, must still get every event), with
 * no age limit (a repository may be down for days). Created when missing; a stream configured
 * otherwise is refused, naming each difference, rather than used and events lost.
 */
export async function ensureEventStream(jsm: JetStreamManager, name: string, subject: string): Promise<void> {
  const expected: Pick<StreamConfig, 'subjects' | 'storage' | 'retention' | 'max_age'> = {
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: 0,
  };
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(name)).config;
  } catch (error) {
    if (!/stream not found/i.test(String((error as Error).message))) throw error;
    try {
      await jsm.streams.add({ name, ...expected });
      return;
    } catch (raced) {
      // Another replica made it first: it is checked like any existing stream.
      existing = (await jsm.streams.info(name).catch(() => Promise.reject(raced))).config;
    }
  }
  const differences = streamDifferences(existing, expected);
  if (differences.length > 0) {
    throw new ConcordError('BUS_MISCONFIGURED', `NATS stream ${name} is configured differently from what the nodes expect: ${differences.join('; ')}`, { stream: name, differences: differences.length });
  }
}

export function streamDifferences(actual: Partial<StreamConfig>, expected: Pick<StreamConfig, 'subjects' | 'storage' | 'retention' | 'max_age'>): string[] {
  const differences: string[] = [];
  if (!(actual.subjects ?? []).includes(expected.subjects[0])) differences.push(`subjects are ${JSON.stringify(actual.subjects ?? [])}, expected to include ${expected.subjects[0]}`);
  if (actual.storage !== expected.storage) differences.push(`storage is ${actual.storage}, expected ${expected.storage}`);
  if (actual.retention !== expected.retention) differences.push(`retention is ${actual.retention}, expected ${expected.retention}`);
  if ((actual.max_age ?? 0) !== expected.max_age) differences.push(`events expire after ${Number(actual.max_age) / 1e9} s, expected never`);
  return differences;
}
