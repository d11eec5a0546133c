import { assessCapture, type CaptureCheck } from '../../biometrics/face/capture-checks.ts';
import { FACE_MODEL_GENERATION, type FaceTemplate } from '../../biometrics/face/face-template.ts';
import { findFaces } from './face-model.ts';
import { readFaceImage } from './read-face-image.ts';

/** What the engine makes of a face photo: its checks, how many faces, and the template of the one face. */
export interface FaceAnalysis {
  readonly checks: readonly CaptureCheck[];
  readonly faces: number;
  /** Made only when the photo holds exactly one face. */
  readonly template?: FaceTemplate;
}

/** Reads a photo (typed refusals for bad input), finds its faces and scores the capture. */
export async function analyzeFace(bytes: Uint8Array, source = 'photo'): Promise<FaceAnalysis> {
  const image = await readFaceImage(bytes, source);
  const found = await findFaces(image.rgb);
  const { checks, faces } = assessCapture(image.gray, found, image.scale);
  return { checks, faces, template: found.length === 1 ? { generation: FACE_MODEL_GENERATION, descriptor: found[0].descriptor } : undefined };
}
