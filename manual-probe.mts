import { startTestSystem } from './src/testing/test-system.ts';
const t = await startTestSystem();
const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
console.log(url);
console.log(JSON.stringify(t.tokens));
await new Promise((r) => setTimeout(r, 120_000));
await t.close();
