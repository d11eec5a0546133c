import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, fingerForm, print } from '../api-client.ts';

/** `concord identify finger_2=a.png [finger_7=b.png] [--purpose C]`: rapid identification, red / amber / green. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, purpose: { type: 'string', default: 'C' } } });
  if (positionals.length === 0) throw new ConcordError('BAD_ARGUMENT', 'usage: concord identify finger_N=IMAGE [finger_N=IMAGE ...] [--purpose CODE]');
  print(await call(clientOptions(values), 'POST', `/v1/identify?purpose=${encodeURIComponent(values.purpose)}`, await fingerForm(positionals)));
  return 0;
}
