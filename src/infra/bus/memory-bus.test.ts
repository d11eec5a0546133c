import { describe, expect, it, vi } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { createMemoryBus } from './memory-bus.ts';

describe('errors across the bus', () => {
  it('carries a ConcordError as it is, and anything else as INTERNAL with a fixed message', async () => {
    const bus = createMemoryBus();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await bus.respond('node.typed', async () => {
        throw new ConcordError('SUBJECT_NOT_FOUND', 'no criminal record with FBI number 1AB', { fbiNumber: '1AB' });
      });
      await bus.respond('node.raw', async () => {
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      });
      await expect(bus.request('node.typed', {})).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND', message: 'no criminal record with FBI number 1AB', where: { fbiNumber: '1AB' } });
      const raw = await bus.request('node.raw', {}).catch((error: unknown) => error);
      expect(raw).toBeInstanceOf(ConcordError);
      expect((raw as ConcordError).toJSON()).toEqual({ code: 'INTERNAL', message: 'internal error', where: {} });
      // The real failure is kept on the node that raised it.
      expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toContain('invalid byte sequence');
    } finally {
      stderr.mockRestore();
      await bus.close();
    }
  });
});
