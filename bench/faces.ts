/**
 * Faces: the engine's speed and what accuracy can be measured offline. Run alone:
 *   npm run bench -- faces [--gallery 100000]
 * The only photographs here are face-api's six sample group photos (22 faces, unnamed): impostor
 * pairs are faces of one photo (different people for certain); genuine pairs are a face and
 * re-captures of it made from the same picture (moved frame, smaller, lighter, compressed), which
 * are far easier than a new sitting. Both sets are tiny; the table says how many pairs each is.
 */
import { compareFaces, faceDistance, FACE_MATCH_THRESHOLD, faceFmrStatement } from '../src/biometrics/face/face-comparison.ts';
import { FaceGallery } from '../src/biometrics/face/face-gallery.ts';
import { DESCRIPTOR_LENGTH, FACE_MODEL_GENERATION, type FaceTemplate } from '../src/biometrics/face/face-template.ts';
import { analyzeFace } from '../src/infra/faces/analyze-face.ts';
import { SAMPLE_FACES, samplePortrait, type Recapture } from '../src/infra/faces/sample-faces.ts';
import { optionValue, type Row } from './table.ts';

const RECAPTURES: Recapture[] = [
  { shift: 0.08, width: 320, brightness: 1.15, quality: 70 },
  { shift: -0.06, brightness: 0.85, quality: 60 },
  { width: 260, blur: 1 },
  { mirror: true, quality: 80 },
];

type Table = { title: string; rows: Row[] };

export async function runFacesBench(flags: Record<string, string | true>): Promise<Table[]> {
  const started = performance.now();
  await analyzeFace(await samplePortrait('s6f2'));
  const firstMs = performance.now() - started;
  const templates = new Map<string, FaceTemplate>();
  const times: number[] = [];
  const cpu: number[] = [];
  for (const face of SAMPLE_FACES) {
    const photo = await samplePortrait(face.id);
    const t = performance.now();
    const c = process.cpuUsage();
    const analysis = await analyzeFace(photo);
    const used = process.cpuUsage(c);
    times.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
    if (analysis.template) templates.set(face.id, analysis.template);
  }
  const genuine: number[] = [];
  for (const [id, template] of templates) {
    for (const recapture of RECAPTURES) {
      const again = await analyzeFace(await samplePortrait(id, recapture));
      if (again.template) genuine.push(faceDistance(template, again.template));
    }
  }
  const impostor: number[] = [];
  const ids = [...templates.keys()];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      if (ids[i].slice(0, 2) === ids[j].slice(0, 2)) impostor.push(compareFaces(templates.get(ids[i])!, templates.get(ids[j])!).distance);
    }
  }
  const falseMatches = impostor.filter((d) => d <= FACE_MATCH_THRESHOLD).length;
  const falseNonMatches = genuine.filter((d) => d > FACE_MATCH_THRESHOLD).length;
  const speed: Row[] = [
    { what: 'model load + first photo (once per process)', 'ms': Math.round(firstMs) },
    { what: `detection + landmarks + descriptor, median of ${times.length} portraits`, 'ms': median(times), 'cpu ms': median(cpu) },
    ...searchRows(optionValue(flags, 'gallery', 100_000), [...templates.values()]),
  ];
  const accuracy: Row[] = [
    { set: 'impostor pairs (two faces of one photo)', pairs: impostor.length, [`≤ ${FACE_MATCH_THRESHOLD}`]: falseMatches, 'nearest distance': Math.min(...impostor) },
    { set: 'genuine pairs (a face and a re-capture of the same picture)', pairs: genuine.length, [`> ${FACE_MATCH_THRESHOLD}`]: falseNonMatches, 'farthest distance': Math.max(...genuine) },
    { set: `faces found in the ${SAMPLE_FACES.length} portraits cut from the samples`, pairs: templates.size },
    { set: faceFmrStatement({ impostorPairs: impostor.length, impostorsAtOrBelow: falseMatches }), pairs: '' },
  ];
  const thresholds: Row[] = [0.35, 0.4, 0.45, 0.5, 0.55, 0.6].map((t) => ({
    distance: `≤ ${t}${t === FACE_MATCH_THRESHOLD ? ' (the threshold)' : ''}`,
    'impostors matched': `${impostor.filter((d) => d <= t).length}/${impostor.length}`,
    'genuine not matched': `${genuine.filter((d) => d > t).length}/${genuine.length}`,
  }));
  return [
    { title: 'Faces: speed on one core (WebAssembly backend)', rows: speed },
    { title: 'Faces: accuracy on the only pairs to be had offline (tiny evidence)', rows: accuracy },
    { title: 'Faces: error counts by threshold (the same pairs; a threshold chosen on them flatters itself)', rows: thresholds },
  ];
}

/** 1:N over `size` templates: the real ones, and random descriptors of the same spread. */
function searchRows(size: number, real: FaceTemplate[]): Row[] {
  const gallery = new FaceGallery();
  real.forEach((t, k) => gallery.add(`real-${k}`, t));
  let seed = 1;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) - 0.5;
  const descriptor = new Float32Array(DESCRIPTOR_LENGTH);
  for (let k = gallery.size; k < size; k++) {
    const base = real[k % real.length].descriptor;
    for (let i = 0; i < DESCRIPTOR_LENGTH; i++) descriptor[i] = base[i] + random() * 0.2;
    gallery.add(`synthetic-${k}`, { generation: FACE_MODEL_GENERATION, descriptor });
  }
  const times: number[] = [];
  let found = 0;
  for (const probe of real) {
    const t = performance.now();
    const [top] = gallery.search(probe, 10);
    times.push(performance.now() - t);
    if (top.subject.startsWith('real-')) found++;
  }
  return [{ what: `1:N search over ${gallery.size.toLocaleString('en-US')} face templates, median of ${times.length}`, ms: median(times), 'cpu ms': '', 'probe found first': `${found}/${real.length}` } as Row];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}
