import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DetectedFace } from '../../biometrics/face/capture-checks.ts';

/**
 * The face model (face-api on TensorFlow.js's WebAssembly backend), loaded once per process (or
 * worker thread) on first use. Its weights and the WebAssembly binaries are read from the
 * installed packages' own files, never fetched.
 */
export interface FaceFinding extends DetectedFace {
  readonly descriptor: Float32Array;
}

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Three bytes per pixel, row by row. */
  readonly data: Uint8Array;
}

/** The small part of face-api's interface Concord uses. */
interface FaceApi {
  tf: { setBackend(name: string): Promise<boolean>; ready(): Promise<void>; tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void } };
  nets: Record<'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceRecognitionNet', { loadFromDisk(dir: string): Promise<void> }>;
  SsdMobilenetv1Options: new (options: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(input: unknown, options: unknown): {
    withFaceLandmarks(): { withFaceDescriptors(): Promise<{ detection: { score: number; box: { x: number; y: number; width: number; height: number } }; landmarks: { positions: { x: number; y: number }[] }; descriptor: Float32Array }[]> };
  };
}

/** Faces below this detector confidence are not counted. */
const MIN_CONFIDENCE = 0.5;
/** More faces than this are not worth describing: the photo is refused for its count anyway. */
const MAX_FACES = 5;

let loading: Promise<FaceApi> | undefined;

function load(): Promise<FaceApi> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    const api = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    await api.tf.setBackend('wasm');
    await api.tf.ready();
    const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    await api.nets.ssdMobilenetv1.loadFromDisk(models);
    await api.nets.faceLandmark68Net.loadFromDisk(models);
    await api.nets.faceRecognitionNet.loadFromDisk(models);
    return api;
  })();
  return loading;
}

/** Every face in an RGB image, with its landmarks and descriptor. */
export async function findFaces(image: RgbImage): Promise<FaceFinding[]> {
  const api = await load();
  const tensor = api.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const found = await api.detectAllFaces(tensor, new api.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE, maxResults: MAX_FACES })).withFaceLandmarks().withFaceDescriptors();
    return found.map((f) => ({
      box: { x: f.detection.box.x, y: f.detection.box.y, width: f.detection.box.width, height: f.detection.box.height },
      score: f.detection.score,
      landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
      descriptor: Float32Array.from(f.descriptor),
    }));
  } finally {
    tensor.dispose();
  }
}
