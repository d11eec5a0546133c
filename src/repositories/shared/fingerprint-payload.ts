import type { FingerprintTemplate } from '../../biometrics/template.ts';
import { decodeTemplate, encodeTemplate } from '../../biometrics/template-codec.ts';

/** Fingerprints as they travel on the bus: finger position and a base64 Concord template. */
export interface FingerPayload {
  position: number;
  template: string;
  quality: number;
}

export function toFingerPayload(position: number, template: FingerprintTemplate): FingerPayload {
  return { position, template: Buffer.from(encodeTemplate(template)).toString('base64'), quality: template.quality };
}

export function fromFingerPayload(payload: FingerPayload): { position: number; template: FingerprintTemplate } {
  return { position: payload.position, template: decodeTemplate(Buffer.from(payload.template, 'base64')) };
}
