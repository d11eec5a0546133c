import { describe, expect, it } from 'vitest';
import { assessCapture, captureRefusal, type DetectedFace } from './capture-checks.ts';
import type { Point } from './face-geometry.ts';
import type { Gray } from './face-pixels.ts';

/** A frontal face's 68 landmarks, drawn to scale around (cx, cy) with `eyes` pixels between the eyes. */
function frontalLandmarks(cx: number, cy: number, eyes: number): Point[] {
  const p: Point[] = [];
  const u = eyes / 2;
  for (let i = 0; i <= 16; i++) p.push({ x: cx - 2 * u + (4 * u * i) / 16, y: cy + u * (0.2 + 1.6 * Math.sin((Math.PI * i) / 16)) });
  for (let i = 0; i < 10; i++) p.push({ x: cx - 1.6 * u + (3.2 * u * i) / 9, y: cy - 0.6 * u });
  for (let i = 0; i < 4; i++) p.push({ x: cx, y: cy + 0.2 * u + (0.5 * u * i) / 3 });
  for (let i = 0; i < 5; i++) p.push({ x: cx - 0.4 * u + 0.2 * u * i, y: cy + 0.8 * u });
  for (const side of [-1, 1]) {
    const ex = cx + side * u;
    const w = 0.5 * u;
    p.push({ x: ex - w, y: cy }, { x: ex - w / 3, y: cy - 0.15 * u }, { x: ex + w / 3, y: cy - 0.15 * u }, { x: ex + w, y: cy }, { x: ex + w / 3, y: cy + 0.15 * u }, { x: ex - w / 3, y: cy + 0.15 * u });
  }
  for (let i = 0; i < 20; i++) p.push({ x: cx - 0.7 * u + (1.4 * u * (i % 10)) / 9, y: cy + 1.4 * u });
  return p;
}

function rotated(points: Point[], about: Point, degrees: number): Point[] {
  const a = (degrees * Math.PI) / 180;
  return points.map((p) => ({ x: about.x + Math.cos(a) * (p.x - about.x) - Math.sin(a) * (p.y - about.y), y: about.y + Math.sin(a) * (p.x - about.x) + Math.cos(a) * (p.y - about.y) }));
}

/** A mid-gray image with a textured square, so the face region has edges. */
function image(width: number, height: number, texture = 60): Gray {
  const pixels = new Uint8Array(width * height).map((_, i) => 120 + (((i % width) >> 2) + ((Math.floor(i / width)) >> 2)) % 2 * texture - texture / 2);
  return { width, height, pixels };
}

const face = (landmarks: Point[], cx: number, cy: number, eyes: number): DetectedFace => ({ box: { x: cx - 1.2 * eyes, y: cy - eyes, width: 2.4 * eyes, height: 2.6 * eyes }, score: 0.99, landmarks });
const failed = (checks: readonly { check: string; passed: boolean | null }[]) => checks.filter((c) => c.passed === false).map((c) => c.check);

describe('portrait capture checks', () => {
  it('passes a centred, level, frontal, sharp and well-exposed face', () => {
    const { checks } = assessCapture(image(400, 500), [face(frontalLandmarks(200, 230, 90), 200, 230, 90)]);
    expect(failed(checks)).toEqual([]);
    expect(checks.find((c) => c.check === 'roll')?.value).toBeCloseTo(0, 0);
    expect(checks.find((c) => c.check === 'eyes_open')?.passed).toBe(true);
  });

  it('fails a tilted head on roll with its angle, and not on yaw', () => {
    const { checks } = assessCapture(image(400, 500), [face(rotated(frontalLandmarks(200, 230, 90), { x: 200, y: 230 }, 25), 200, 230, 90)]);
    expect(failed(checks)).toEqual(['roll']);
    expect(checks.find((c) => c.check === 'roll')?.value).toBeCloseTo(25, 0);
  });

  it('fails a small, off-centre face on size and centring, in the photo\'s own pixels', () => {
    const small = assessCapture(image(400, 500), [face(frontalLandmarks(330, 230, 40), 330, 230, 40)]);
    expect(failed(small.checks)).toEqual(expect.arrayContaining(['face_size', 'centre_x']));
    // The same face analysed at half the photo's size is 80 pixels between the eyes in the photo.
    const scaled = assessCapture(image(400, 500), [face(frontalLandmarks(200, 230, 40), 200, 230, 40)], 2);
    expect(scaled.checks.find((c) => c.check === 'face_size')).toMatchObject({ value: 80, passed: true });
  });

  it('fails a flat (blurred) face on sharpness and a dark one on exposure', () => {
    const flat = assessCapture(image(400, 500, 0), [face(frontalLandmarks(200, 230, 90), 200, 230, 90)]);
    expect(failed(flat.checks)).toEqual(['sharpness']);
    const dark: Gray = { width: 400, height: 500, pixels: image(400, 500).pixels.map((v) => v / 4) };
    expect(failed(assessCapture(dark, [face(frontalLandmarks(200, 230, 90), 200, 230, 90)]).checks)).toContain('exposure');
  });

  it('cannot tell closed eyes from open ones when the eyes are a few pixels wide', () => {
    const tiny = assessCapture(image(400, 500), [face(frontalLandmarks(200, 230, 20), 200, 230, 20)]);
    expect(tiny.checks.find((c) => c.check === 'eyes_open')?.passed).toBeNull();
  });

  it('refuses a photo with several faces as FACE_COUNT, and a failing one with every failed value', () => {
    const two = assessCapture(image(400, 500), [face(frontalLandmarks(120, 230, 60), 120, 230, 60), face(frontalLandmarks(280, 230, 60), 280, 230, 60)]);
    expect(two.faces).toBe(2);
    const refusal = captureRefusal(two.checks);
    expect(refusal.code).toBe('FACE_COUNT');
    expect(refusal.where).toMatchObject({ failed: 'one_face', one_face: 2 });
    const tilted = assessCapture(image(400, 500), [face(rotated(frontalLandmarks(200, 230, 90), { x: 200, y: 230 }, -30), 200, 230, 90)]);
    const refused = captureRefusal(tilted.checks);
    expect(refused.code).toBe('FACE_CAPTURE_FAILED');
    expect(refused.where.roll).toBeCloseTo(-30, 0);
    expect(refused.message).toContain('±10°');
  });
});
