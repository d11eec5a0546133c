import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, print } from '../api-client.ts';

/** `concord history ID --purpose C`: the one-stop history of a subject (FBI number or FIN). */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, purpose: { type: 'string' } } });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'usage: concord history ID --purpose CODE');
  const query = values.purpose ? `?purpose=${encodeURIComponent(values.purpose)}` : '';
  print(await call(clientOptions(values), 'GET', `/v1/subjects/${encodeURIComponent(positionals[0])}/history${query}`));
  return 0;
}
