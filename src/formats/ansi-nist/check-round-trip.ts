import { type ConcordError, isConcordError } from '../../shared/errors.ts';
import type { AnsiNistTransaction } from './model.ts';
import { readTransaction } from './read-transaction.ts';
import { writeTransaction } from './write-transaction.ts';

export interface RoundTripCheck {
  /** What was read (everything that could be, when there are problems). */
  readonly transaction: AnsiNistTransaction;
  /** Every problem the lenient reader found, then the writer's refusal if it refused. */
  readonly problems: readonly ConcordError[];
  /** Whether writing what was read gives back the input exactly; false when it could not be written. */
  readonly identical: boolean;
  /** The first offset where the written bytes differ from the input (or where one of them ends). */
  readonly firstDifference?: number;
  readonly writtenBytes?: number;
}

/**
 * Reads a transaction leniently, writes it back and compares: the check a receiver makes before
 * forwarding a file it must pass on unchanged. Valid means no problem and the very same bytes.
 */
export function checkRoundTrip(bytes: Uint8Array): RoundTripCheck {
  const { transaction, problems } = readTransaction(bytes, { lenient: true });
  let written: Uint8Array;
  try {
    written = writeTransaction(transaction);
  } catch (error) {
    if (!isConcordError(error)) throw error;
    return { transaction, problems: [...problems, error], identical: false };
  }
  const firstDifference = firstDifferingOffset(bytes, written);
  return { transaction, problems, identical: firstDifference === undefined, firstDifference, writtenBytes: written.length };
}

export function isFaithful(check: RoundTripCheck): boolean {
  return check.problems.length === 0 && check.identical;
}

function firstDifferingOffset(a: Uint8Array, b: Uint8Array): number | undefined {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : shorter;
}
