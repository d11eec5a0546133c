import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig, type Config } from '../../infra/config.ts';
import { openExistingNodeDatabase } from '../../infra/db/open-node-database.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { verifyAuditChain, type ChainHead } from '../../gateway/audit-log.ts';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, print } from '../api-client.ts';

const USAGE = 'usage: concord audit verify [--anchor SEQ:HASH]..., or concord audit repair --record SEQ --cause TEXT --token TOKEN';

/**
 * `concord audit verify`: recomputes the whole hash chain of the gateway's audit trail, straight
 * from its database (the server may be stopped), and names every broken record, and every break
 * a signed repair entry covers. It prints the chain's head; kept outside the database and passed
 * back with `--anchor`, a head proves that no record up to it was cut since.
 * `concord audit repair`: a privacy officer's repair entry for a record a fault broke, through
 * the running server, which signs it.
 */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { anchor: { type: 'string', multiple: true }, record: { type: 'string' }, cause: { type: 'string' }, ...CLIENT_OPTIONS },
  });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', USAGE);
  if (positionals[0] === 'repair') return repair(values);
  if (positionals[0] !== 'verify') throw new ConcordError('BAD_ARGUMENT', USAGE);
  const anchors = (values.anchor ?? []).map(parseAnchor);
  const config = readConfig(process.env);
  const db = await openExistingNodeDatabase(config, 'gateway');
  const noDatabase = new ConcordError('NO_DATABASE', `there is no Concord gateway database ${config.databaseUrl || config.nodeDatabaseUrls.gateway ? `in schema ${config.schemaPrefix}_gateway` : `in ${config.dataDir}`} (set CONCORD_DATA_DIR, or DATABASE_URL, to where Concord runs)`, {});
  if (!db) throw noDatabase;
  try {
    const [{ migrated }] = await db.query<{ migrated: boolean }>(`SELECT to_regclass('audit_checkpoint') IS NOT NULL AS migrated`);
    if (!migrated) throw noDatabase;
    const started = performance.now();
    const verdict = await verifyAuditChain(db, { anchors, signer: signerFor(config) });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    for (const repaired of verdict.repaired) {
      process.stdout.write(`repaired: ${repaired.reason}; repair entry ${repaired.repairSeq}: ${repaired.cause}\n`);
    }
    if (verdict.ok) {
      process.stdout.write(`audit trail intact: ${verdict.records} records verified in ${seconds} s${verdict.repaired.length ? ` (${verdict.repaired.length} repaired)` : ''}\n`);
      process.stdout.write(`head: ${verdict.head.seq}:${verdict.head.hash} (keep it outside the database; check it later with --anchor)\n`);
      return 0;
    }
    process.stdout.write(`AUDIT TRAIL BROKEN at record ${verdict.firstBroken}: ${verdict.reason} (${verdict.records} records before it verified)\n`);
    for (const broken of verdict.breaks.slice(1)) process.stdout.write(`also broken at record ${broken.seq}: ${broken.reason}\n`);
    return 3;
  } finally {
    await db.close();
  }
}

/** The key ring that checks repair signatures: the server's key file, read if it is there (never created). */
function signerFor(config: Config): KeyRing | undefined {
  const keyFile = config.keyFile ?? (config.dataDir ? join(config.dataDir, 'keys.json') : undefined);
  return keyFile && existsSync(keyFile) ? KeyRing.fromFile(keyFile) : undefined;
}

async function repair(values: { record?: string; cause?: string; url?: string; token?: string }): Promise<number> {
  if (!values.record || !/^\d{1,15}$/.test(values.record) || !values.cause) throw new ConcordError('BAD_ARGUMENT', USAGE);
  print(await call(clientOptions(values), 'POST', '/v1/audit/repairs', { record: Number(values.record), cause: values.cause }));
  return 0;
}

function parseAnchor(text: string): ChainHead {
  const match = /^(\d{1,15}):([0-9a-f]{64}|genesis)$/.exec(text);
  if (!match) throw new ConcordError('BAD_ARGUMENT', `--anchor "${text}" is not SEQ:HASH (a record number and its 64-digit SHA-256 hash, as verify prints it)`, { field: 'anchor' });
  return { seq: Number(match[1]), hash: match[2] };
}
