import type { CaptureCheck } from '../../biometrics/face/capture-checks.ts';

/** A face photo's analysis as it travels on the bus with the photo (base64 throughout). */
export interface FaceCapture {
  /** The Concord face template (face-template.ts) of the photo's one face; absent when it has none or several. */
  readonly template?: string;
  readonly checks: readonly CaptureCheck[];
  /** The officer's acceptance of a photo that failed its checks: their reason and what failed. */
  readonly override?: { readonly reason: string; readonly failed: readonly string[] };
}
