import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, fingerForm, print } from '../api-client.ts';

/** `concord enroll --subject traveller.json finger_2=a.png finger_7=b.png`: port-of-entry inspection. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, subject: { type: 'string' } } });
  if (!values.subject) throw new ConcordError('BAD_ARGUMENT', 'usage: concord enroll --subject TRAVELLER.json [finger_N=IMAGE ...]');
  const form = await fingerForm(positionals, { subject: await readFile(values.subject, 'utf8') });
  print(await call(clientOptions(values), 'POST', '/v1/encounters', form));
  return 0;
}
