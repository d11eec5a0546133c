import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { readFingerprintImage } from '../../infra/images/read-fingerprint-image.ts';
import { decodeFingerImages } from '../../formats/ansi-nist/finger-images.ts';
import { decodeWsq, encodeWsq, isWsq } from '../../formats/wsq/index.ts';
import { encodeJpeg2000 } from '../../formats/jpeg2000/index.ts';
import { readTransaction } from '../../formats/ansi-nist/read-transaction.ts';
import { writeTransaction } from '../../formats/ansi-nist/write-transaction.ts';
import { fieldText, type AnsiNistTransaction, type TaggedRecord } from '../../formats/ansi-nist/model.ts';
import sharp from 'sharp';
import { buildSubmission, type SubmissionFinger } from '../../formats/ebts/build-submission.ts';
import type { FaceRecordInput } from '../../formats/ansi-nist/face-records.ts';
import { formatDate } from '../../formats/ebts/ebts-dates.ts';
import { describeTransaction } from '../../formats/ebts/describe-transaction.ts';
import { transactionJson } from '../../formats/ebts/transaction-json.ts';
import { checkRoundTrip, isFaithful } from '../../formats/ansi-nist/check-round-trip.ts';
import { parseSubmissionDescription } from '../../formats/ebts/submission-description.ts';
import { isSubmissionTot, validateEbtsSubmission } from '../../formats/ebts/submission.ts';
import { readEbtsResponse } from '../../formats/ebts/responses.ts';
import { callWithFile, CLIENT_OPTIONS, clientOptions } from '../api-client.ts';

const USAGE = `usage:
  concord ebts dump FILE [--lenient] [--decode] [--json]
      print the records and fields of an ANSI/NIST-ITL transaction; --lenient lists every
      problem instead of stopping at the first; --decode also decodes every finger image;
      --json prints the whole transaction as JSON, images summarised, not inlined
  concord ebts check FILE [--json]
      read leniently, write back and compare: lists every problem and says whether the file
      comes back byte for byte (or the first differing offset). Exits 0 only when it is valid
      and faithfully round-tripped, 1 otherwise
  concord ebts make --json DESC.json [IMAGE ...] --out FILE [--compression WSQ20|JP2|JP2L] [--face PHOTO]
      build a CAR, CNA, TPIS or RPIS from a JSON description and finger images (PNG, TIFF, BMP,
      JPEG or WSQ), stored as Type-14 records, WSQ-compressed unless JPEG 2000 is asked for; DESC.json: {"tot","ori","tcn","name","dob","sex",
      "positions":[...], "subject":{...}}; --face adds a frontal face photo (JPEG or PNG, as it is) as a Type-10
  concord ebts submit FILE [--out ANSWER] [--url URL] [--token TOKEN]
      send a CAR, CNA, TPIS or RPIS to a running Concord (POST /v1/ebts) and print its answer
      (SRE, SRT, RPISR or ERRT); --out also saves the answer file. Exits 1 on an ERRT.
`;

/** WSQ at 0.75 bit per pixel is the FBI's usual ~15:1 for 500 ppi prints. */
const WSQ_BITRATE = 0.75;

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'dump':
      return dump(rest);
    case 'check':
      return check(rest);
    case 'make':
      return make(rest);
    case 'submit':
      return submit(rest);
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

async function readInput(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path).catch(() => {
    throw new ConcordError('NOT_FOUND', `cannot read ${path}`, { path });
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function dump(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lenient: { type: 'boolean' }, decode: { type: 'boolean' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'dump takes exactly one FILE');
  if (values.json && values.decode) throw new ConcordError('BAD_ARGUMENT', 'dump --json does not decode images; leave out --decode');
  const path = positionals[0];
  const bytes = await readInput(path);
  let transaction: AnsiNistTransaction;
  let problems: readonly ConcordError[] = [];
  if (values.lenient) {
    const result = readTransaction(bytes, { lenient: true });
    transaction = result.transaction;
    problems = result.problems;
  } else {
    transaction = readTransaction(bytes);
  }
  if (values.json) {
    const json = { file: basename(path), bytes: bytes.length, records: transactionJson(transaction), ...(values.lenient ? { problems: problemsOf(problems) } : {}) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return problems.length === 0 ? 0 : 1;
  }
  const out: string[] = [`${basename(path)}: ${bytes.length} bytes, ${transaction.records.length} records`];
  if (transaction.records.length > 0) out.push(...describeTransaction(transaction));
  const tot = transaction.records[0] ? fieldText(transaction.records[0] as TaggedRecord, 4) : undefined;
  if (tot && isSubmissionTot(tot) && problems.length === 0) {
    const profile = validateEbtsSubmission(transaction);
    out.push(profile.length === 0 ? `EBTS: a valid ${tot}` : `EBTS ${tot}: ${profile.length} problem(s)`);
    for (const problem of profile) out.push(`  ${problem.code}: ${problem.message}`);
  }
  if (values.decode && problems.length === 0) out.push(...(await decodeAll(transaction)));
  if (values.lenient) {
    out.push(problems.length === 0 ? 'no problems' : `${problems.length} problem(s):`);
    for (const problem of problems) out.push(`  ${problem.code}: ${problem.message}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return problems.length === 0 ? 0 : 1;
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'check takes exactly one FILE');
  const path = positionals[0];
  const bytes = await readInput(path);
  const result = checkRoundTrip(bytes);
  const valid = isFaithful(result);
  if (values.json) {
    const { identical, firstDifference, writtenBytes } = result;
    const json = { file: basename(path), bytes: bytes.length, records: result.transaction.records.length, valid, identical, firstDifference, writtenBytes, problems: problemsOf(result.problems) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return valid ? 0 : 1;
  }
  const out = [`${basename(path)}: ${bytes.length} bytes, ${result.transaction.records.length} records read`];
  if (result.writtenBytes === undefined) out.push('could not be written back');
  else if (result.identical) out.push('written back byte for byte');
  else out.push(`written back differently (${result.writtenBytes} bytes): first difference at offset ${result.firstDifference}`);
  out.push(result.problems.length === 0 ? 'no problems' : `${result.problems.length} problem(s):`);
  for (const problem of result.problems) out.push(`  ${problem.code}: ${problem.message}`);
  out.push(valid ? 'valid' : 'not valid');
  process.stdout.write(`${out.join('\n')}\n`);
  return valid ? 0 : 1;
}

function problemsOf(problems: readonly ConcordError[]): ReturnType<ConcordError['toJSON']>[] {
  return problems.map((problem) => problem.toJSON());
}

async function submit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLIENT_OPTIONS, out: { type: 'string' } } });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'submit takes exactly one FILE');
  const options = clientOptions(values);
  const { bytes } = await callWithFile(options, '/v1/ebts', await readInput(positionals[0]));
  if (values.out) await writeFile(values.out, bytes);
  const answer = readEbtsResponse(readTransaction(bytes));
  const lines = [`${answer.tot} for TCN ${answer.tcr} from ${answer.fromAgency} (response TCN ${answer.tcn})`];
  if (answer.srf) lines.push(`  result: ${answer.srf === 'I' ? 'identified' : 'not identified'}${answer.fbiNumber ? `, FBI number ${answer.fbiNumber}` : ''}${answer.name ? `, ${answer.name}` : ''}`);
  for (const candidate of answer.candidates) lines.push(`  candidate: ${candidate.fbiNumber} ${candidate.name}`);
  for (const message of answer.messages) lines.push(`  ${message}`);
  if (answer.rapSheet) lines.push('  rap sheet:', ...answer.rapSheet.split('\n').map((line) => `    ${line}`));
  if (values.out) lines.push(`answer saved to ${values.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return answer.tot === 'ERRT' ? 1 : 0;
}

async function decodeAll(transaction: AnsiNistTransaction): Promise<string[]> {
  const started = performance.now();
  const images = decodeFingerImages(transaction);
  const elapsed = performance.now() - started;
  return [
    `decoded ${images.length} finger image(s) in ${elapsed.toFixed(0)} ms:`,
    ...images.map(({ summary, image }) => `  record ${summary.record} IDC ${summary.idc} position ${summary.positions.join(',')}: ${image.width}×${image.height} at ${image.ppi} ppi`),
  ];
}

async function make(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'string' }, out: { type: 'string' }, compression: { type: 'string' }, face: { type: 'string' } } });
  if (!values.json || !values.out) throw new ConcordError('BAD_ARGUMENT', 'make needs --json DESC.json and --out FILE');
  const compression = (values.compression ?? 'WSQ20').toUpperCase();
  if (compression !== 'WSQ20' && compression !== 'JP2' && compression !== 'JP2L') throw new ConcordError('BAD_ARGUMENT', `--compression ${values.compression}: WSQ20, JP2 or JP2L`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readInput(values.json)));
  } catch (error) {
    if (error instanceof ConcordError) throw error;
    throw new ConcordError('BAD_JSON', `${values.json} is not valid JSON: ${(error as Error).message}`, { path: values.json });
  }
  const description = parseSubmissionDescription(json, new Date());
  // Images may also be listed in the description, relative to it.
  const listed = (json as { images?: unknown }).images;
  const imagePaths = positionals.length > 0 ? positionals : Array.isArray(listed) ? listed.map((p) => resolve(dirname(values.json!), String(p))) : [];
  const positions = description.positions ?? imagePaths.map((_, i) => i + 1);
  if (positions.length !== imagePaths.length) {
    throw new ConcordError('BAD_ARGUMENT', `the description gives ${positions.length} finger positions for ${imagePaths.length} images`);
  }
  const fingers: SubmissionFinger[] = [];
  for (let i = 0; i < imagePaths.length; i++) fingers.push(await fingerFromFile(imagePaths[i], positions[i], compression));

  const faces = values.face ? [await faceFromFile(values.face, description.request.ori, description.request.at)] : [];
  const transaction = buildSubmission(description.request, fingers, faces);
  const problems = validateEbtsSubmission(transaction);
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`concord: ${problem.code}: ${problem.message}\n`);
    throw new ConcordError(problems[0].code, `the ${description.request.tot} would not be valid (${problems.length} problem(s)); nothing written`, { ...problems[0].where });
  }
  const bytes = writeTransaction(transaction);
  await writeFile(values.out, bytes);
  const compressions = [...new Set(fingers.map((f) => f.compression))].join(', ') || 'no images';
  const face = faces.length > 0 ? `, a Type-10 face (${faces[0].compression})` : '';
  process.stdout.write(`wrote ${description.request.tot} ${description.request.tcn} (${fingers.length} Type-14 record(s), ${compressions}${face}, ${bytes.length} bytes) to ${values.out}\n`);
  return 0;
}

/** A face photo for a Type-10, sent as it is: the receiver checks it as a portrait. */
async function faceFromFile(path: string, ori: string, at: Date): Promise<FaceRecordInput> {
  const data = await readInput(path);
  const meta = await sharp(data).metadata().catch(() => undefined);
  if (!meta || (meta.format !== 'jpeg' && meta.format !== 'png')) throw new ConcordError('NOT_AN_IMAGE', `${path}: a face photo for a Type-10 is a JPEG or a PNG`, { path });
  return { width: meta.width ?? 0, height: meta.height ?? 0, compression: meta.format === 'jpeg' ? 'JPEGB' : 'PNG', colourSpace: meta.channels === 1 ? 'GRAY' : 'SRGB', source: ori, date: formatDate(at), data };
}

/**
 * A WSQ file goes in as it is (once it decodes) when WSQ is asked for; other images are decoded
 * to 500 ppi and compressed as asked: WSQ, or JPEG 2000 lossy (JP2, without a rate target) or
 * lossless (JP2L).
 */
async function fingerFromFile(path: string, position: number, compression: 'WSQ20' | 'JP2' | 'JP2L'): Promise<SubmissionFinger> {
  const bytes = await readInput(path);
  if (compression !== 'WSQ20') {
    const image = isWsq(bytes) ? { ...decodeWsq(bytes), ppi: 500 } : await readFingerprintImage(bytes, { source: path });
    const data = encodeJpeg2000(image, { lossless: compression === 'JP2L' });
    return { position, width: image.width, height: image.height, ppi: image.ppi, compression, data };
  }
  if (isWsq(bytes)) {
    const frame = decodeWsq(bytes);
    const ppi = frame.ppi !== undefined && frame.ppi >= 250 && frame.ppi <= 2000 ? frame.ppi : 500;
    return { position, width: frame.width, height: frame.height, ppi, compression: 'WSQ20', data: bytes };
  }
  const image = await readFingerprintImage(bytes, { source: path });
  return { position, width: image.width, height: image.height, ppi: image.ppi, compression: 'WSQ20', data: encodeWsq(image, { bitrate: WSQ_BITRATE, ppi: image.ppi }) };
}
