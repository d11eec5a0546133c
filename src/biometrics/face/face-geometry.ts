/**
 * Pose and eye openness estimated from the 68 facial landmarks (the iBUG 300-W layout: jaw 0–16,
 * nose 27–35, the subject's right eye 36–41 and left eye 42–47, mouth 48–67), in image pixels.
 * These are estimates from a 2-D layout, not a fitted head model: good enough to tell a turned,
 * tilted or nodding head from a frontal one, not to measure a few degrees.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface FaceGeometry {
  /** Centres of the subject's right and left eye (the image's left and right). */
  readonly rightEye: Point;
  readonly leftEye: Point;
  /** Pixels between the eye centres: the face's size as ISO/IEC 19794-5 measures it. */
  readonly eyeDistance: number;
  /** Degrees: head turned (yaw), nodding (pitch), tilted in the image plane (roll). */
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  /** Eye aspect ratio (lid opening over eye width), each eye: about 0.3 open, under 0.15 closed. */
  readonly eyeOpenness: readonly [number, number];
}

/** Where the nose tip sits between eye line and mouth line in a frontal face (0 eyes, 1 mouth). */
const FRONTAL_NOSE_HEIGHT = 0.6;

export function faceGeometry(landmarks: readonly Point[]): FaceGeometry {
  if (landmarks.length !== 68) throw new RangeError(`68 landmarks expected, got ${landmarks.length}`);
  const rightEye = mean(landmarks.slice(36, 42));
  const leftEye = mean(landmarks.slice(42, 48));
  const roll = Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x);
  // Yaw and pitch are read with the roll undone, so a tilted head does not look turned.
  const centre = mean([rightEye, leftEye]);
  const upright = landmarks.map((p) => rotate(p, centre, -roll));
  const eyes = mean([mean(upright.slice(36, 42)), mean(upright.slice(42, 48))]);
  const nose = upright[30];
  const mouth = mean([upright[48], upright[54]]);
  // A turned head moves the nose tip off the middle of the jaw line; a nodding one along the face.
  const across = (nose.x - upright[0].x) / (upright[16].x - upright[0].x || 1);
  const along = (nose.y - eyes.y) / (mouth.y - eyes.y || 1);
  return {
    rightEye,
    leftEye,
    eyeDistance: Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y),
    yaw: degrees(Math.asin(clamp(2 * across - 1))),
    pitch: degrees(Math.asin(clamp((along - FRONTAL_NOSE_HEIGHT) * 2))),
    roll: degrees(roll),
    eyeOpenness: [openness(landmarks.slice(36, 42)), openness(landmarks.slice(42, 48))],
  };
}

function openness(eye: readonly Point[]): number {
  const width = distance(eye[0], eye[3]);
  return width === 0 ? 0 : (distance(eye[1], eye[5]) + distance(eye[2], eye[4])) / (2 * width);
}

function mean(points: readonly Point[]): Point {
  return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
}

function rotate(p: Point, about: Point, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const dx = p.x - about.x;
  const dy = p.y - about.y;
  return { x: about.x + c * dx - s * dy, y: about.y + s * dx + c * dy };
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const clamp = (v: number) => Math.max(-1, Math.min(1, v));
const degrees = (radians: number) => (radians * 180) / Math.PI;
