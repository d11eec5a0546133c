import { readFile } from 'node:fs/promises';
import { ConcordError } from '../shared/errors.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
import { decodeTemplate, encodeTemplate, isConcordTemplate } from '../biometrics/template-codec.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';

/** Loads a template from a file that is either a template (Concord or ISO/ANSI) or an image. */
export async function loadFingerprint(path: string, ppi?: number): Promise<FingerprintTemplate> {
  const bytes = await readFile(path).catch(() => {
    throw new ConcordError('NOT_FOUND', `cannot read ${path}`, { path });
  });
  if (isConcordTemplate(bytes)) return decodeTemplate(bytes);
  return extractTemplate(await readFingerprintImage(bytes, { ppi, source: path }));
}

export function encodeTemplateAs(template: FingerprintTemplate, format: string): Uint8Array {
  switch (format) {
    case 'concord':
      return encodeTemplate(template);
    default:
      throw new ConcordError('BAD_ARGUMENT', `unknown template format "${format}" (concord, iso19794-2, ansi378)`);
  }
}
