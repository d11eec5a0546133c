import { ConcordError } from '../../shared/errors.ts';

/** Where a problem sits in a transaction: record (1-based, in file order), its type, field, byte offset. */
export interface ProblemLocation {
  readonly record: number;
  readonly recordType?: number;
  readonly field?: string;
  readonly offset: number;
  readonly [extra: string]: string | number | undefined;
}

/**
 * A ConcordError whose message starts with the location, so that a person reading only the
 * message (an ERRT 2.060, a CLI line) still knows where to look.
 */
export function transactionProblem(code: string, detail: string, location: ProblemLocation): ConcordError {
  const parts = [`record ${location.record}`];
  if (location.recordType !== undefined) parts[0] += ` (Type-${location.recordType})`;
  if (location.field !== undefined) parts.push(`field ${location.field}`);
  parts.push(`byte ${location.offset}`);
  const where: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(location)) if (value !== undefined) where[key] = value;
  return new ConcordError(code, `${parts.join(', ')}: ${detail}`, where);
}

/**
 * Strict reading stops at the first problem; lenient reading notes it and carries on where the
 * bytes still make sense. Problems after which nothing further can be located are thrown in both
 * modes (the lenient reader catches them at the top and ends the list there).
 */
export class ProblemCollector {
  readonly problems: ConcordError[] = [];

  constructor(readonly lenient: boolean) {}

  report(problem: ConcordError): void {
    if (!this.lenient) throw problem;
    this.problems.push(problem);
  }
}
