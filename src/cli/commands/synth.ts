import { mkdir, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { ConcordError } from '../../shared/errors.ts';
import { FINGER_CLASSES, generateMaster, renderImpression, type FingerClass } from '../../biometrics/synthetic/index.ts';
import { mixSeed } from '../../biometrics/synthetic/random.ts';

const USAGE = 'usage: concord synth prints --fingers N --impressions K --seed S --out DIR [--class CLASS]';

/** `concord synth prints`: synthetic fingers × impressions as `<finger>_<impression>.png` (FVC naming). */
export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'prints') throw new ConcordError('BAD_ARGUMENT', USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { fingers: { type: 'string' }, impressions: { type: 'string' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, class: { type: 'string' } },
  });
  const fingers = count(values.fingers, 'fingers', 10_000);
  const impressions = count(values.impressions, 'impressions', 100);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new ConcordError('BAD_ARGUMENT', `--seed must be a non-negative integer, got "${values.seed}"`);
  if (!values.out) throw new ConcordError('BAD_ARGUMENT', `--out DIR is required; ${USAGE}`);
  const fingerClass = values.class as FingerClass | undefined;
  if (fingerClass !== undefined && !FINGER_CLASSES.includes(fingerClass)) {
    throw new ConcordError('BAD_ARGUMENT', `unknown finger class "${values.class}" (${FINGER_CLASSES.join(', ')})`);
  }
  try {
    await mkdir(values.out, { recursive: true });
    await access(values.out, constants.W_OK);
  } catch {
    throw new ConcordError('UNWRITABLE_DIRECTORY', `cannot write to ${values.out}`, { path: values.out });
  }
  const started = performance.now();
  for (let finger = 1; finger <= fingers; finger++) {
    const master = generateMaster(mixSeed(seed, finger), { fingerClass });
    for (let impression = 1; impression <= impressions; impression++) {
      const image = renderImpression(master, mixSeed(seed, finger, impression));
      const png = await sharp(Buffer.from(image.pixels), { raw: { width: image.width, height: image.height, channels: 1 } }).png().toBuffer();
      await writeFile(join(values.out, `${finger}_${impression}.png`), png);
    }
    process.stderr.write(`\r${finger}/${fingers} fingers`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`\nwrote ${fingers * impressions} images to ${values.out} in ${seconds.toFixed(1)} s\n`);
  return 0;
}

function count(value: string | undefined, name: string, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1 || n > max) {
    throw new ConcordError('BAD_ARGUMENT', `--${name} must be a whole number from 1 to ${max}, got "${value ?? ''}"`);
  }
  return n;
}
