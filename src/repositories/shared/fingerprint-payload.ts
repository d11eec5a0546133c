import type { FingerprintTemplate } from '../../biometrics/template.ts';
import { decodeTemplate, encodeTemplate } from '../../biometrics/template-codec.ts';
import { EXTRACTOR_GENERATION } from '../../biometrics/extraction/extract-template.ts';

/** Fingerprints as they travel on the bus: finger position and a base64 Concord template. */
export interface FingerPayload {
  position: number;
  template: string;
  quality: number;
  /** The capture itself, WSQ-compressed (base64), kept so an examiner can compare prints by eye. */
  image?: string;
  /** The generation of the extractor that made the template (EXTRACTOR_GENERATION); absent: unknown. */
  extractor?: number;
}

/** A template this engine's extractor made, with its capture if it is to be kept. */
export function toFingerPayload(position: number, template: FingerprintTemplate, wsq?: Uint8Array): FingerPayload {
  const payload: FingerPayload = { position, template: Buffer.from(encodeTemplate(template)).toString('base64'), quality: template.quality, extractor: EXTRACTOR_GENERATION };
  if (wsq) payload.image = Buffer.from(wsq).toString('base64');
  return payload;
}

/** The stored form of a payload's image: bytes for a BYTEA column, or null without one. */
export function imageBytes(payload: FingerPayload): Uint8Array | null {
  return payload.image ? Buffer.from(payload.image, 'base64') : null;
}

export function fromFingerPayload(payload: FingerPayload): { position: number; template: FingerprintTemplate } {
  return { position: payload.position, template: decodeTemplate(Buffer.from(payload.template, 'base64')) };
}
