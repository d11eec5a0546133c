import { acceptPhoto, analysePhoto } from '../app/face-photo.ts';
import { FRONTAL_FACES, samplePortrait, type Recapture } from '../infra/faces/sample-faces.ts';
import type { FaceCapture } from '../repositories/shared/face-payload.ts';

/**
 * Faces for the demo population: portraits cut from the face-api package's sample photos (the
 * only real faces to be had offline), enrolled with their capture checks so that `npm start`
 * shows the checks, a returning traveller's 1:1 match and a false identity's mismatch. A second
 * visit is a re-capture of the same picture (framed, lit and compressed otherwise).
 */
export const DEMO_FACES = FRONTAL_FACES.length;

const SECOND_VISIT: Recapture = { shift: 0.06, width: 360, brightness: 1.1, quality: 75 };

export async function demoFace(k: number, secondVisit = false): Promise<{ photo: string; face: FaceCapture }> {
  const id = FRONTAL_FACES[k % FRONTAL_FACES.length];
  const bytes = await samplePortrait(id, secondVisit ? SECOND_VISIT : {});
  return acceptPhoto(await analysePhoto(bytes, `demo face ${id}`), undefined);
}
