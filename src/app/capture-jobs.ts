import { within } from '../shared/errors.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { encodePng } from '../infra/images/encode-png.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { templatesFromCaptures, type CaptureUse, type FingerCapture } from './finger-captures.ts';
import { capturesOf } from './transaction-captures.ts';

/**
 * The CPU-heavy work on uploaded captures — decoding, resampling, extraction, compression — as
 * jobs a worker thread runs: everything a job needs travels in it, and its answer is plain data.
 */
export type CaptureJob =
  /** Finger images of a multipart request, each with its (checked) position. */
  | { kind: 'fingers'; images: { field: string; position: number; bytes: Uint8Array }[]; use: CaptureUse; checkQuality?: boolean }
  /** The one image of an examiner's request: its template and the image the engine saw, as a PNG. */
  | { kind: 'single'; field: string; bytes: Uint8Array }
  /** The finger images of an ANSI/NIST transaction (already read and checked once by the caller). */
  | { kind: 'transaction'; bytes: Uint8Array; use: CaptureUse };

export interface SingleFinger {
  template: FingerprintTemplate;
  /** The image at 500 ppi gray, as a PNG data URL (browsers show neither WSQ nor most TIFFs). */
  image: string;
}

export async function runCaptureJob(job: CaptureJob): Promise<FingerPayload[] | SingleFinger> {
  switch (job.kind) {
    case 'fingers': {
      const captures: FingerCapture[] = [];
      for (const { field, position, bytes } of job.images) {
        try {
          captures.push({ position, label: field, image: await readFingerprintImage(bytes, { source: field }) });
        } catch (error) {
          throw within(error, field, { part: field, position });
        }
      }
      return templatesFromCaptures(captures, job.use, { checkQuality: job.checkQuality });
    }
    case 'single': {
      const image = await readFingerprintImage(job.bytes, { source: job.field });
      return { template: extractTemplate(image), image: `data:image/png;base64,${(await encodePng(image)).toString('base64')}` };
    }
    case 'transaction':
      return templatesFromCaptures(capturesOf(readTransaction(job.bytes)), job.use);
  }
}
