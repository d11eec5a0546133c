import { describe, expect, it } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { createTelemetry } from '../observability/telemetry.ts';
import { createMemoryBus } from './memory-bus.ts';
import { observedBus } from './observed-bus.ts';

describe('errors across the bus', () => {
  it('carries a ConcordError as it is, and anything else as INTERNAL with a fixed message', async () => {
    const bus = createMemoryBus();
    const lines: string[] = [];
    const node = observedBus(bus, 'criminal', createTelemetry({ logLevel: 'info', replica: 'r1', logDestination: { write: (line: string) => void lines.push(line) } }));
    try {
      await node.respond('node.typed', async () => {
        throw new ConcordError('SUBJECT_NOT_FOUND', 'no criminal record with FBI number 1AB', { fbiNumber: '1AB' });
      });
      await node.respond('node.raw', async () => {
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      });
      await expect(bus.request('node.typed', {})).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND', message: 'no criminal record with FBI number 1AB', where: { fbiNumber: '1AB' } });
      const raw = await bus.request('node.raw', {}).catch((error: unknown) => error);
      expect(raw).toBeInstanceOf(ConcordError);
      expect((raw as ConcordError).toJSON()).toEqual({ code: 'INTERNAL', message: 'internal error', where: {} });
      // The node that raised it logs where it was thrown, not its message (a database's message may quote a value).
      const failure = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'unexpected failure');
      expect(failure).toMatchObject({ node: 'criminal', subject: 'node.raw', code: 'INTERNAL' });
      expect(failure.error).toMatch(/^Error \| at /);
      expect(lines.join('')).not.toContain('invalid byte sequence');
    } finally {
      await bus.close();
    }
  });
});
