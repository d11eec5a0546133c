import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/**
 * The only face photographs to be had offline: the six group photos face-api ships as its demo
 * (1920 pixels wide, 3–5 people each, 22 faces, no names). Tests, the bench and the demo
 * population cut portraits out of them. Faces in one photo are different people; whether a face
 * in one photo is the same person as a face in another is not known, so no pair across photos is
 * taken for a genuine or an impostor pair.
 */
export const SAMPLE_PHOTOS = [1, 2, 3, 4, 5, 6] as const;

/** Each face the detector found in the samples, left to right: photo, and box [x, y, width, height]. */
export const SAMPLE_FACES: readonly { id: string; photo: number; box: readonly [number, number, number, number] }[] = [
  ['s1f0', 1, 414, 355, 177, 240], ['s1f1', 1, 838, 421, 186, 228], ['s1f2', 1, 1476, 199, 203, 241],
  ['s2f0', 2, 361, 126, 153, 259], ['s2f1', 2, 902, 220, 151, 233], ['s2f2', 2, 1447, 153, 194, 242],
  ['s3f0', 3, 585, 329, 199, 271], ['s3f1', 3, 1075, 215, 220, 299], ['s3f2', 3, 1514, 292, 170, 280],
  ['s4f0', 4, 257, 185, 162, 245], ['s4f1', 4, 664, 53, 187, 258], ['s4f2', 4, 989, 180, 169, 227], ['s4f3', 4, 1277, 144, 145, 244],
  ['s5f0', 5, 377, 859, 172, 301], ['s5f1', 5, 598, 415, 166, 249], ['s5f2', 5, 787, 109, 156, 212], ['s5f3', 5, 1113, 198, 158, 236], ['s5f4', 5, 1406, 390, 165, 271],
  ['s6f0', 6, 250, 468, 210, 291], ['s6f1', 6, 681, 321, 160, 307], ['s6f2', 6, 1180, 305, 188, 280], ['s6f3', 6, 1487, 263, 212, 296],
].map(([id, photo, x, y, w, h]) => ({ id: String(id), photo: Number(photo), box: [Number(x), Number(y), Number(w), Number(h)] as const }));

/** Faces the checks pass as portraits (near frontal, level): the ones the demo and tests enrol. */
export const FRONTAL_FACES = ['s3f0', 's5f0', 's5f3', 's6f0', 's6f2'] as const;

export function samplePhotoPath(photo: number): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${photo}.jpg`);
}

export function samplePhoto(photo: number): Promise<Buffer> {
  return readFile(samplePhotoPath(photo));
}

/** A variation of a portrait, as a second sitting might differ: framing, size, light, focus, compression. */
export interface Recapture {
  /** Shift of the frame, as a share of the face width. */
  shift?: number;
  /** Output width of the portrait in pixels (default: the crop's own). */
  width?: number;
  brightness?: number;
  blur?: number;
  quality?: number;
  mirror?: boolean;
}

/**
 * A portrait cut from a sample photo around one face: the face about half the width, the eyes a
 * little above the middle, as a port camera frames a traveller. Returned as a JPEG.
 */
export async function samplePortrait(id: string, recapture: Recapture = {}): Promise<Buffer> {
  const face = SAMPLE_FACES.find((f) => f.id === id);
  if (!face) throw new RangeError(`no sample face ${id}`);
  const [x, y, w, h] = face.box;
  const source = sharp(await samplePhoto(face.photo));
  const { width = 0, height = 0 } = await source.metadata();
  const cropWidth = Math.min(width, Math.round(w * 2));
  const cropHeight = Math.min(height, Math.round(h * 2.2));
  const shift = (recapture.shift ?? 0) * w;
  const left = Math.max(0, Math.min(width - cropWidth, Math.round(x + w / 2 - cropWidth / 2 + shift)));
  const top = Math.max(0, Math.min(height - cropHeight, Math.round(y + h * 0.45 - cropHeight / 2 + shift / 2)));
  let image = source.extract({ left, top, width: cropWidth, height: cropHeight });
  if (recapture.width) image = image.resize(recapture.width);
  if (recapture.brightness) image = image.modulate({ brightness: recapture.brightness });
  if (recapture.blur) image = image.blur(recapture.blur);
  if (recapture.mirror) image = image.flop();
  return image.jpeg({ quality: recapture.quality ?? 90 }).toBuffer();
}
