import { describe, expect, it } from 'vitest';
import { run } from './serve.ts';

describe('concord serve --population', () => {
  it('refuses a size that is not a number of fingers, or a process without the criminal node, before it starts anything', async () => {
    for (const size of ['abc', '0', '1e6', '20000000']) await expect(run(['--population', size]), size).rejects.toMatchObject({ code: 'BAD_ARGUMENT', where: { field: 'population' } });
    const shared = { DATABASE_URL: 'postgres://127.0.0.1:1/none', NATS_URL: 'nats://127.0.0.1:1', CONCORD_KEY_FILE: '/nonexistent/keys.json' };
    const saved = { ...process.env };
    Object.assign(process.env, shared);
    try {
      await expect(run(['--node', 'gateway', '--population', '1000'])).rejects.toThrow(/criminal node/);
    } finally {
      for (const key of Object.keys(shared)) if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
});
