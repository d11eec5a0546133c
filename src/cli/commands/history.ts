import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, fingerForm, print } from '../api-client.ts';

const USAGE = 'usage: concord history ID [--purpose CODE], or concord history finger_N=IMAGE [finger_N=IMAGE ...] [--purpose CODE] (purpose C unless said)';

/**
 * `concord history ID --purpose C`: the one-stop history of a subject (FBI number or FIN);
 * `concord history finger_2=a.png --purpose C`: that of whoever the prints identify.
 */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, purpose: { type: 'string', default: 'C' } } });
  const query = `?purpose=${encodeURIComponent(values.purpose)}`;
  const byPrints = positionals.length > 0 && positionals.every((arg) => arg.startsWith('finger_'));
  if (byPrints) {
    print(await call(clientOptions(values), 'POST', `/v1/history${query}`, await fingerForm(positionals)));
  } else {
    if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', USAGE);
    print(await call(clientOptions(values), 'GET', `/v1/subjects/${encodeURIComponent(positionals[0])}/history${query}`));
  }
  return 0;
}
