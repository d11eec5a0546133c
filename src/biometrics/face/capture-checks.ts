import { ConcordError } from '../../shared/errors.ts';
import { faceGeometry, type FaceGeometry, type Point } from './face-geometry.ts';
import { exposure, sharpness, type Gray, type Region } from './face-pixels.ts';

/** A face the detector found: its box, its confidence (0–1) and its 68 landmarks, in the image analysed. */
export interface DetectedFace {
  readonly box: Region;
  readonly score: number;
  readonly landmarks: readonly Point[];
}

export type CheckName = 'one_face' | 'face_size' | 'centre_x' | 'eye_line' | 'yaw' | 'pitch' | 'roll' | 'sharpness' | 'exposure' | 'clipping' | 'eyes_open';

/** One capture check: its measured value, the limit it is held to, and whether it passed (null: the model cannot tell). */
export interface CaptureCheck {
  readonly check: CheckName;
  readonly value: number;
  readonly limit: string;
  readonly passed: boolean | null;
}

/**
 * The limits, after the portrait rules of ICAO 9303 and ISO/IEC 19794-5 loosened for a live port
 * camera: 60 pixels between the eyes is the standard's smallest usable face; a frontal pose within
 * the accuracy of a landmark estimate; the face near the middle with the eyes in the upper half.
 */
export const LIMITS = {
  minEyeDistance: 60,
  maxCentreOffset: 0.15,
  eyeLine: [0.25, 0.65] as const,
  maxYaw: 20,
  maxPitch: 20,
  maxRoll: 10,
  minSharpness: 3,
  brightness: [50, 210] as const,
  maxClipped: 0.15,
  minEyeOpenness: 0.15,
  /** Eyes narrower than this are too few pixels for the landmarks to tell open from closed. */
  minEyeWidthToJudge: 15,
};

export interface CaptureAssessment {
  readonly checks: readonly CaptureCheck[];
  readonly faces: number;
  /** The one face, when there is exactly one. */
  readonly geometry?: FaceGeometry;
}

/**
 * Scores a photo as a portrait. `scale` turns the analysed image's pixels into the photo's own
 * (the analysis may run on a reduced copy), so sizes are reported as the photo has them.
 */
export function assessCapture(image: Gray, faces: readonly DetectedFace[], scale = 1): CaptureAssessment {
  const oneFace: CaptureCheck = { check: 'one_face', value: faces.length, limit: '= 1', passed: faces.length === 1 };
  if (faces.length !== 1) return { checks: [oneFace], faces: faces.length };
  const face = faces[0];
  const g = faceGeometry(face.landmarks);
  const centreX = (g.rightEye.x + g.leftEye.x) / 2 / image.width - 0.5;
  const eyeLine = (g.rightEye.y + g.leftEye.y) / 2 / image.height;
  const light = exposure(image, face.box);
  const sharp = sharpness(image, face.box);
  const eyeWidth = Math.min(width(face.landmarks, 36, 39), width(face.landmarks, 42, 45));
  const openness = Math.min(...g.eyeOpenness);
  const checks: CaptureCheck[] = [
    oneFace,
    { check: 'face_size', value: round(g.eyeDistance * scale), limit: `≥ ${LIMITS.minEyeDistance} px between the eyes`, passed: g.eyeDistance * scale >= LIMITS.minEyeDistance },
    { check: 'centre_x', value: round(centreX, 3), limit: `within ±${LIMITS.maxCentreOffset} of the width from the middle`, passed: Math.abs(centreX) <= LIMITS.maxCentreOffset },
    { check: 'eye_line', value: round(eyeLine, 3), limit: `${LIMITS.eyeLine[0]}–${LIMITS.eyeLine[1]} of the height from the top`, passed: eyeLine >= LIMITS.eyeLine[0] && eyeLine <= LIMITS.eyeLine[1] },
    { check: 'yaw', value: round(g.yaw), limit: `±${LIMITS.maxYaw}°`, passed: Math.abs(g.yaw) <= LIMITS.maxYaw },
    { check: 'pitch', value: round(g.pitch), limit: `±${LIMITS.maxPitch}°`, passed: Math.abs(g.pitch) <= LIMITS.maxPitch },
    { check: 'roll', value: round(g.roll), limit: `±${LIMITS.maxRoll}°`, passed: Math.abs(g.roll) <= LIMITS.maxRoll },
    { check: 'sharpness', value: round(sharp), limit: `≥ ${LIMITS.minSharpness}`, passed: sharp >= LIMITS.minSharpness },
    { check: 'exposure', value: round(light.mean), limit: `mean brightness ${LIMITS.brightness[0]}–${LIMITS.brightness[1]}`, passed: light.mean >= LIMITS.brightness[0] && light.mean <= LIMITS.brightness[1] },
    { check: 'clipping', value: round(light.clipped, 3), limit: `≤ ${LIMITS.maxClipped} of the face black or white`, passed: light.clipped <= LIMITS.maxClipped },
    { check: 'eyes_open', value: round(openness, 2), limit: `eye opening ≥ ${LIMITS.minEyeOpenness} of its width`, passed: eyeWidth < LIMITS.minEyeWidthToJudge ? null : openness >= LIMITS.minEyeOpenness },
  ];
  return { checks, faces: 1, geometry: g };
}

export const failedChecks = (checks: readonly CaptureCheck[]) => checks.filter((c) => c.passed === false);

/**
 * The refusal of a photo that failed its checks: every failed check with its value and limit, so
 * that one retake can fix them all; the officer may instead accept it with a reason.
 */
export function captureRefusal(checks: readonly CaptureCheck[], source = 'photo', context: Record<string, string> = {}): ConcordError {
  const failed = failedChecks(checks);
  const where: Record<string, string | number> = { ...context, part: source, failed: failed.map((c) => c.check).join(',') };
  for (const c of failed) where[c.check] = c.value;
  const code = failed.some((c) => c.check === 'one_face') ? 'FACE_COUNT' : 'FACE_CAPTURE_FAILED';
  const said = failed.map((c) => `${c.check.replace('_', ' ')} ${c.value} (${c.limit})`).join('; ');
  return new ConcordError(code, `${source} fails the portrait checks: ${said}; retake it, or accept it with a reason`, where);
}

const width = (p: readonly Point[], a: number, b: number) => Math.hypot(p[a].x - p[b].x, p[a].y - p[b].y);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
