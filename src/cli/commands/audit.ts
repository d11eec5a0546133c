import { parseArgs } from 'node:util';
import { readConfig } from '../../infra/config.ts';
import { openNodeDatabase } from '../../infra/db/open-node-database.ts';
import { verifyAuditChain, type ChainHead } from '../../gateway/audit-log.ts';
import { ConcordError } from '../../shared/errors.ts';

const USAGE = 'usage: concord audit verify [--anchor SEQ:HASH]...';

/**
 * `concord audit verify`: recomputes the whole hash chain of the gateway's audit trail, straight
 * from its database (the server may be stopped), and names the first broken record. It prints
 * the chain's head; kept outside the database and passed back with `--anchor`, a head proves
 * that no record up to it was cut since.
 */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { anchor: { type: 'string', multiple: true } } });
  if (positionals[0] !== 'verify' || positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', USAGE);
  const anchors = (values.anchor ?? []).map(parseAnchor);
  const db = await openNodeDatabase(readConfig(process.env), 'gateway');
  try {
    const started = performance.now();
    const verdict = await verifyAuditChain(db, { anchors });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (verdict.ok) {
      process.stdout.write(`audit trail intact: ${verdict.records} records verified in ${seconds} s\n`);
      process.stdout.write(`head: ${verdict.head.seq}:${verdict.head.hash} (keep it outside the database; check it later with --anchor)\n`);
      return 0;
    }
    process.stdout.write(`AUDIT TRAIL BROKEN at record ${verdict.firstBroken}: ${verdict.reason} (${verdict.records} records before it verified)\n`);
    return 3;
  } finally {
    await db.close();
  }
}

function parseAnchor(text: string): ChainHead {
  const match = /^(\d{1,15}):([0-9a-f]{64}|genesis)$/.exec(text);
  if (!match) throw new ConcordError('BAD_ARGUMENT', `--anchor "${text}" is not SEQ:HASH (a record number and its 64-digit SHA-256 hash, as verify prints it)`, { field: 'anchor' });
  return { seq: Number(match[1]), hash: match[2] };
}
