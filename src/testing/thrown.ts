import { isConcordError, type ConcordError } from '../shared/errors.ts';

/** The ConcordError `action` throws, for a test to inspect its code and place; anything else fails the test. */
export function thrown(action: () => unknown): ConcordError {
  try {
    action();
  } catch (error) {
    if (isConcordError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConcordError');
}
