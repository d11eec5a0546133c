import type { Config } from '../infra/config.ts';
import type { NodeName } from '../infra/db/open-node-database.ts';
import { ConcordError } from '../shared/errors.ts';

export const ALL_NODES: readonly NodeName[] = ['gateway', 'immigration', 'criminal'];

/** The node names of `--node` arguments, each once, in their usual order; an unknown one is refused. */
export function parseNodes(names: readonly string[] | undefined): NodeName[] {
  if (!names || names.length === 0) return [...ALL_NODES];
  for (const name of names) {
    if (!(ALL_NODES as readonly string[]).includes(name)) throw new ConcordError('BAD_ARGUMENT', `unknown node "${name}": one of ${ALL_NODES.join(', ')}`, { node: name });
  }
  return ALL_NODES.filter((node) => names.includes(node));
}

/**
 * Nodes running apart share everything through PostgreSQL, NATS and one key file: the embedded
 * database is one process's, the in-process bus reaches no other process, and a replica with keys
 * of its own could not open what another sealed. A subset of the nodes started without them is
 * refused, naming everything missing at once.
 */
export function requireSharedServices(config: Config, nodes: readonly NodeName[]): void {
  if (nodes.length === ALL_NODES.length) return;
  const missing: string[] = [];
  for (const node of nodes) {
    if (!(config.nodeDatabaseUrls[node] ?? config.databaseUrl)) missing.push(`PostgreSQL for the ${node} node (DATABASE_URL or ${node.toUpperCase()}_DATABASE_URL)`);
  }
  if (!config.natsUrl) missing.push('NATS JetStream (NATS_URL)');
  if (!config.keyFile) missing.push('a key file every process shares (CONCORD_KEY_FILE)');
  if (missing.length === 0) return;
  throw new ConcordError(
    'NEEDS_SHARED_SERVICES',
    `the ${nodes.join(' and ')} node${nodes.length > 1 ? 's' : ''} started apart from the others need${nodes.length > 1 ? '' : 's'} ${missing.join(', ')}; the embedded default runs all three nodes in one process (omit --node)`,
    { nodes: nodes.join(','), missing: missing.length },
  );
}
