import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import {
  CAPTURE_DIFFICULTY,
  FINGER_CLASSES,
  MASTER_HEIGHT,
  MASTER_WIDTH,
  mixSeed,
  synthesizeInParallel,
  type CaptureDifficulty,
  type FingerClass,
  type SynthesisJob,
} from '../../biometrics/synthetic/index.ts';
import { encodePng } from '../../infra/images/encode-png.ts';

const USAGE = `usage: concord synth prints --fingers N --impressions K --seed S --out DIR
         [--class ${FINGER_CLASSES.join('|')}] [--size WxH] [--rolled] [--workers W]
         [--difficulty ${Object.keys(CAPTURE_DIFFICULTY).join('|')}]

Writes N synthetic fingers × K impressions as DIR/<finger>_<impression>.png (FVC naming, fingers
and impressions numbered from 1), 8-bit grayscale at 500 ppi, generated in parallel. The same
seed and options always give the same files. --difficulty realistic (the default) varies the
captures as much as real sensor sets do, for measuring; clean gives the easy prints of the demo.`;

/** `concord synth prints`: synthetic fingerprint images for tests, demos and benchmarks. */
export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'prints') throw new ConcordError('BAD_ARGUMENT', `unknown synth command "${command}"\n${USAGE}`, { command });
  const options = parseOptions(rest);
  await ensureWritable(options.out);

  const jobs: SynthesisJob[] = [];
  for (let finger = 1; finger <= options.fingers; finger++) {
    const impressions = [];
    for (let k = 1; k <= options.impressions; k++) impressions.push({ seed: mixSeed(options.seed, finger, k), rolled: options.rolled, capture: CAPTURE_DIFFICULTY[options.difficulty] });
    jobs.push({ masterSeed: mixSeed(options.seed, finger), master: { fingerClass: options.fingerClass, width: options.width, height: options.height }, impressions });
  }

  const started = performance.now();
  let done = 0;
  await synthesizeInParallel(
    jobs,
    async (index, images) => {
      const finger = index + 1;
      for (let k = 0; k < images.length; k++) {
        const file = join(options.out, `${finger}_${k + 1}.png`);
        try {
          await writeFile(file, await encodePng(images[k]));
        } catch (error) {
          throw new ConcordError('UNWRITABLE_DIRECTORY', `cannot write ${file}: ${(error as Error).message}`, { file });
        }
      }
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${jobs.length} fingers`);
    },
    options.workers,
  );
  const seconds = (performance.now() - started) / 1000;
  const images = options.fingers * options.impressions;
  process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}wrote ${images} images to ${options.out} in ${seconds.toFixed(1)} s (${(images / seconds).toFixed(1)} images/s, ${options.workers} workers)\n`);
  return 0;
}

interface PrintOptions {
  fingers: number;
  impressions: number;
  seed: number;
  out: string;
  fingerClass?: FingerClass;
  width: number;
  height: number;
  rolled: boolean;
  workers: number;
  difficulty: CaptureDifficulty;
}

function parseOptions(args: string[]): PrintOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        fingers: { type: 'string' },
        impressions: { type: 'string' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string' },
        class: { type: 'string' },
        size: { type: 'string' },
        rolled: { type: 'boolean', default: false },
        workers: { type: 'string' },
        difficulty: { type: 'string', default: 'realistic' },
      },
    }));
  } catch (error) {
    throw new ConcordError('BAD_ARGUMENT', `${(error as Error).message}\n${USAGE}`);
  }
  const fingerClass = values.class as FingerClass | undefined;
  if (fingerClass !== undefined && !FINGER_CLASSES.includes(fingerClass)) {
    throw new ConcordError('BAD_ARGUMENT', `unknown finger class "${values.class}"; choose one of ${FINGER_CLASSES.join(', ')}`, { field: 'class' });
  }
  const difficulty = values.difficulty as CaptureDifficulty;
  if (!Object.hasOwn(CAPTURE_DIFFICULTY, difficulty)) {
    throw new ConcordError('BAD_ARGUMENT', `unknown difficulty "${values.difficulty}"; choose one of ${Object.keys(CAPTURE_DIFFICULTY).join(', ')}`, { field: 'difficulty' });
  }
  if (!values.out) throw new ConcordError('BAD_ARGUMENT', `--out DIR is required\n${USAGE}`, { field: 'out' });
  let width = MASTER_WIDTH;
  let height = MASTER_HEIGHT;
  if (values.size !== undefined) {
    const size = /^(\d+)x(\d+)$/i.exec(values.size);
    if (!size) throw new ConcordError('BAD_ARGUMENT', `--size must look like 320x420 (width x height in pixels), got "${values.size}"`, { field: 'size' });
    width = whole(size[1], 'size', 96, 2048);
    height = whole(size[2], 'size', 96, 2048);
  }
  return {
    fingers: whole(values.fingers, 'fingers', 1, 100_000),
    impressions: whole(values.impressions, 'impressions', 1, 1_000),
    seed: whole(values.seed, 'seed', 0, 0xffffffff),
    out: values.out,
    fingerClass,
    width,
    height,
    rolled: values.rolled ?? false,
    workers: values.workers === undefined ? availableParallelism() : whole(values.workers, 'workers', 1, 256),
    difficulty,
  };
}

function whole(value: string | undefined, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConcordError('BAD_ARGUMENT', `--${name} must be a whole number from ${min} to ${max}, got "${value ?? ''}"`, { field: name });
  }
  return n;
}

async function ensureWritable(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new ConcordError('UNWRITABLE_DIRECTORY', `cannot write to ${directory}: ${(error as Error).message}`, { directory });
  }
}
