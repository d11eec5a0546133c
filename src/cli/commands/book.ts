import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { call, CLIENT_OPTIONS, clientOptions, fingerForm, print } from '../api-client.ts';

/** `concord book --booking arrest.json finger_1=… … finger_10=…`: a booking with ten prints. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, booking: { type: 'string' } } });
  if (!values.booking) throw new ConcordError('BAD_ARGUMENT', 'usage: concord book --booking ARREST.json finger_N=IMAGE ...');
  const form = await fingerForm(positionals, { booking: await readFile(values.booking, 'utf8') });
  print(await call(clientOptions(values), 'POST', '/v1/bookings', form));
  return 0;
}
