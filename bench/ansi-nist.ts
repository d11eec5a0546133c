/**
 * ANSI/NIST-ITL throughput: parse and write speed (MB/s) on NIST's ten-print card, parse time of
 * a 40 MB transaction (image data is viewed, not copied, so this should stay near the text-only
 * cost), and the time to parse a ten-print with WSQ images and decode every image (target
 * < 200 ms on one core), WSQ encode time, ratio and PSNR. Run alone: `node --import tsx bench/ansi-nist.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildTransaction, taggedRecord } from '../src/formats/ansi-nist/build-records.ts';
import { decodeFingerImages } from '../src/formats/ansi-nist/finger-images.ts';
import { readTransaction } from '../src/formats/ansi-nist/read-transaction.ts';
import { writeTransaction } from '../src/formats/ansi-nist/write-transaction.ts';
import type { GrayImage } from '../src/biometrics/gray-image.ts';
import { decodeWsq, encodeWsq } from '../src/formats/wsq/index.ts';
import { readFingerprintImage } from '../src/infra/images/read-fingerprint-image.ts';
import { formatTable, type Row } from './table.ts';

const MB = 1024 * 1024;
const FIXTURE_PRINTS = new URL('../fixtures/fingerprints/', import.meta.url).pathname;

export async function runAnsiNistBench(): Promise<Row[]> {
  const tenPrint = new Uint8Array(await readFile(new URL('../fixtures/ansi-nist/type-14-tpcard-nqm.an2', import.meta.url)));
  const parsed = readTransaction(tenPrint);
  const rows: Row[] = [];

  const parse = repeatFor(() => readTransaction(tenPrint));
  rows.push({ measure: 'parse ten-print card (675 kB, 16 records)', result: `${mbPerSecond(tenPrint.length, parse.perRunMs).toFixed(0)} MB/s`, 'per run': `${parse.perRunMs.toFixed(3)} ms` });
  const write = repeatFor(() => writeTransaction(parsed));
  rows.push({ measure: 'write ten-print card', result: `${mbPerSecond(tenPrint.length, write.perRunMs).toFixed(0)} MB/s`, 'per run': `${write.perRunMs.toFixed(3)} ms` });

  for (let i = 0; i < 3; i++) decodeFingerImages(readTransaction(tenPrint)); // warm up
  const decode = medianOf(11, () => decodeFingerImages(readTransaction(tenPrint)));
  rows.push({ measure: 'parse ten-print + decode its 14 WSQ images (median of 11)', result: `${decode.ms.toFixed(0)} ms`, 'per run': 'target < 200 ms' });

  const large = writeTransaction(largeTransaction(40));
  const parseLarge = repeatFor(() => readTransaction(large));
  rows.push({ measure: `parse ${(large.length / MB).toFixed(0)} MB transaction (40 raw 1000 ppi Type-14)`, result: `${mbPerSecond(large.length, parseLarge.perRunMs).toFixed(0)} MB/s`, 'per run': `${parseLarge.perRunMs.toFixed(3)} ms` });

  rows.push(...(await wsqRows(decode.value.map((finger) => finger.image))));
  rows.push(...(await referenceRows()));
  return rows;
}

/** NIST's sample WSQ file against NIST's own decoding of it, and re-encoded by us. */
async function referenceRows(): Promise<Row[]> {
  const nistWsq = new Uint8Array(await readFile(new URL('../fixtures/ansi-nist/sample.wsq', import.meta.url)));
  const nistDecoding = await readFingerprintImage(await readFile(new URL('../fixtures/ansi-nist/sample.png', import.meta.url)));
  const ours = decodeWsq(nistWsq);
  let differing = 0;
  let worst = 0;
  for (let i = 0; i < ours.pixels.length; i++) {
    const difference = Math.abs(ours.pixels[i] - nistDecoding.pixels[i]);
    if (difference > 0) differing++;
    worst = Math.max(worst, difference);
  }
  const reencoded = encodeWsq({ ...ours, ppi: 500 }, { ppi: 500 });
  return [
    { measure: "NIST's sample.wsq decoded: pixels differing from NIST's decoding", result: `${differing} of ${ours.pixels.length}`, 'per run': `at most ${worst} grey level(s)` },
    { measure: 'that image re-encoded by us / by NIST', result: `${reencoded.length} / ${nistWsq.length} bytes`, 'per run': '' },
  ];
}

/**
 * WSQ encoding of the ten-print's images (time), and compression ratio and PSNR on lossless
 * originals: the FVC2002 fixtures (lossless PNG), since the card's own images were already WSQ-coded.
 */
async function wsqRows(tenPrintImages: GrayImage[]): Promise<Row[]> {
  const encode = medianOf(5, () => tenPrintImages.map((image) => encodeWsq(image, { ppi: 500 })));
  const originals = await Promise.all(
    (await readdir(FIXTURE_PRINTS)).filter((name) => name.endsWith('.png')).sort().slice(0, 10)
      .map(async (name) => readFingerprintImage(await readFile(join(FIXTURE_PRINTS, name)))),
  );
  let rawBytes = 0;
  let codedBytes = 0;
  let squaredError = 0;
  for (const image of originals) {
    const coded = encodeWsq(image, { ppi: 500 });
    const back = decodeWsq(coded).pixels;
    rawBytes += image.pixels.length;
    codedBytes += coded.length;
    for (let i = 0; i < back.length; i++) squaredError += (image.pixels[i] - back[i]) ** 2;
  }
  const psnr = 10 * Math.log10((255 * 255 * rawBytes) / squaredError);
  return [
    { measure: 'WSQ encode the ten-print\'s 14 images at 0.75 bpp (median of 5)', result: `${encode.ms.toFixed(0)} ms`, 'per run': `${(encode.ms / tenPrintImages.length).toFixed(1)} ms per image` },
    { measure: `WSQ on ${originals.length} lossless FVC2002 prints: ratio, bit rate`, result: `${(rawBytes / codedBytes).toFixed(1)}:1`, 'per run': `${((codedBytes * 8) / rawBytes).toFixed(2)} bpp` },
    { measure: 'WSQ PSNR against the originals', result: `${psnr.toFixed(1)} dB`, 'per run': '' },
  ];
}

function medianOf<T>(runs: number, action: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value = action();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = action();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)], value };
}

/** Runs `action` repeatedly for about `budgetMs` after a warm-up; returns the mean time per run. */
function repeatFor(action: () => unknown, budgetMs = 1000): { perRunMs: number } {
  for (let i = 0; i < 3; i++) action();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    action();
    runs++;
  }
  return { perRunMs: (performance.now() - started) / runs };
}

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

/** `count` raw 1000 ppi rolled prints (1000×1000 px, 1 MB each) behind a Type-1 and a Type-2. */
function largeTransaction(count: number) {
  const pixels = new Uint8Array(1000 * 1000).map((_, i) => (i * 31) & 255);
  const images = Array.from({ length: count }, (_, i) =>
    taggedRecord(14, { 2: String(i + 1).padStart(2, '0'), 3: '1', 6: '1000', 7: '1000', 8: '1', 9: '1000', 10: '1000', 11: 'NONE', 12: '8', 13: String((i % 10) + 1), 999: pixels }),
  );
  return buildTransaction({ 2: '0502', 4: 'TPIS', 5: '20260101', 7: 'WVIAFIS0Z', 8: 'NY0303000', 9: 'BENCH', 11: '39.37', 12: '39.37' }, [taggedRecord(2, { 2: '00' }), ...images]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(formatTable('ANSI/NIST-ITL', await runAnsiNistBench()));
}
