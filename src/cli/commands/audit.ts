import { readConfig } from '../../infra/config.ts';
import { openNodeDatabase } from '../../infra/db/open-node-database.ts';
import { verifyAuditChain } from '../../gateway/audit-log.ts';
import { ConcordError } from '../../shared/errors.ts';

/**
 * `concord audit verify`: recomputes the whole hash chain of the gateway's audit trail, straight
 * from its database (the server may be stopped), and names the first broken record.
 */
export async function run(args: string[]): Promise<number> {
  if (args[0] !== 'verify') throw new ConcordError('BAD_ARGUMENT', 'usage: concord audit verify');
  const db = await openNodeDatabase(readConfig(process.env), 'gateway');
  try {
    const started = performance.now();
    const verdict = await verifyAuditChain(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (verdict.ok) {
      process.stdout.write(`audit trail intact: ${verdict.records} records verified in ${seconds} s\n`);
      return 0;
    }
    process.stdout.write(`AUDIT TRAIL BROKEN at record ${verdict.firstBroken}: ${verdict.reason} (${verdict.records} records before it verified)\n`);
    return 3;
  } finally {
    await db.close();
  }
}
