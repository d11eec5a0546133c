import { readFile } from 'node:fs/promises';
import { ConcordError } from '../shared/errors.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
import { decodeTemplate, encodeTemplate, isConcordTemplate } from '../biometrics/template-codec.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import {
  decodeMinutiaeRecord,
  encodeMinutiaeRecord,
  isMinutiaeRecord,
  recordToTemplate,
  templateToRecord,
} from '../formats/iso19794/minutiae-record.ts';

/** Loads a template from a file that is a template (Concord, ISO 19794-2, ANSI 378) or an image. */
export async function loadFingerprint(path: string, ppi?: number): Promise<FingerprintTemplate> {
  const bytes = await readFile(path).catch(() => {
    throw new ConcordError('NOT_FOUND', `cannot read ${path}`, { path });
  });
  if (isConcordTemplate(bytes)) return decodeTemplate(bytes);
  if (isMinutiaeRecord(bytes)) return recordToTemplate(decodeMinutiaeRecord(bytes));
  return extractTemplate(await readFingerprintImage(bytes, { ppi, source: path }));
}

export const TEMPLATE_FORMATS = ['concord', 'iso19794-2', 'ansi378'] as const;

export function encodeTemplateAs(template: FingerprintTemplate, format: string): Uint8Array {
  switch (format) {
    case 'concord':
      return encodeTemplate(template);
    case 'iso19794-2':
    case 'ansi378':
      return encodeMinutiaeRecord(templateToRecord(template, { standard: format }));
    default:
      throw new ConcordError('BAD_ARGUMENT', `unknown template format "${format}" (${TEMPLATE_FORMATS.join(', ')})`);
  }
}
