import { ConcordError } from '../../shared/errors.ts';
import { ENGINE_PPI } from '../../biometrics/gray-image.ts';
import type { FingerprintTemplate, Minutia, MinutiaType } from '../../biometrics/template.ts';

/**
 * Finger minutiae records of ISO/IEC 19794-2:2005 and ANSI INCITS 378-2004: one codec, two
 * dialects. Both start "FMR\0" " 20\0"; they differ in the header (ANSI has a 2-byte length —
 * or 0 then a 4-byte one — and a CBEFF product id; ISO a 4-byte length) and in the angle unit
 * (ISO 360/256°, ANSI 2°). Each finger view: position, view number + impression type, quality,
 * minutiae count, then 6 bytes per minutia (2-bit type + 14-bit x, 2 reserved + 14-bit y, angle,
 * quality), then a 2-byte extended-data length and that many bytes.
 */
export type MinutiaeStandard = 'iso19794-2' | 'ansi378';

export interface FingerView {
  position: number;
  viewNumber: number;
  impressionType: number;
  quality: number;
  /** In the record's pixel grid (see resolution), angles in radians as in FingerprintTemplate. */
  minutiae: Minutia[];
  /** Extended data (ridge counts, cores and deltas, vendor data), kept as it was. */
  extendedData: Uint8Array;
}

export interface MinutiaeRecord {
  standard: MinutiaeStandard;
  equipment: number;
  /** ANSI only: CBEFF product identifier (owner << 16 | type). */
  productId: number;
  width: number;
  height: number;
  /** Pixels per centimetre (197 ≈ 500 ppi). */
  xResolution: number;
  yResolution: number;
  views: FingerView[];
}

const MAGIC = [0x46, 0x4d, 0x52, 0x00, 0x20, 0x32, 0x30, 0x00];
const TYPE_BITS: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };
const TYPES: MinutiaType[] = ['other', 'ending', 'bifurcation', 'other'];
const TWO_PI = 2 * Math.PI;
const angleUnit = (standard: MinutiaeStandard) => (standard === 'iso19794-2' ? TWO_PI / 256 : Math.PI / 90);

export function isMinutiaeRecord(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Tells the two dialects apart: ISO's 4-byte length equals the record size; ANSI's 2-byte length
 * (or 0 + 4-byte length) does.
 */
export function detectStandard(bytes: Uint8Array): MinutiaeStandard {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 12 && view.getUint32(8) === bytes.length) return 'iso19794-2';
  if (bytes.length >= 10 && view.getUint16(8) === bytes.length) return 'ansi378';
  if (bytes.length >= 14 && view.getUint16(8) === 0 && view.getUint32(10) === bytes.length) return 'ansi378';
  throw new ConcordError('TEMPLATE_LENGTH', `the record length field does not match the ${bytes.length} bytes given`, { offset: 8 });
}

export function decodeMinutiaeRecord(bytes: Uint8Array, standard: MinutiaeStandard = detectStandard(bytes)): MinutiaeRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (offset: number, size: number, what: string) => {
    if (offset + size > bytes.length) {
      throw new ConcordError('TEMPLATE_TRUNCATED', `${standard}: record ends before ${what} (needs ${offset + size} bytes, has ${bytes.length})`, { offset });
    }
  };
  need(0, 8, 'the format identifier');
  if (!isMinutiaeRecord(bytes)) throw new ConcordError('TEMPLATE_BAD_MAGIC', `${standard}: not a finger minutiae record ("FMR\\0 20\\0" expected)`, { offset: 0 });

  let offset = 8;
  let declared: number;
  let productId = 0;
  if (standard === 'iso19794-2') {
    need(offset, 4, 'the record length');
    declared = view.getUint32(offset);
    offset += 4;
  } else {
    need(offset, 2, 'the record length');
    declared = view.getUint16(offset);
    offset += 2;
    if (declared === 0) {
      need(offset, 4, 'the long record length');
      declared = view.getUint32(offset);
      offset += 4;
    }
    need(offset, 4, 'the CBEFF product identifier');
    productId = view.getUint32(offset);
    offset += 4;
  }
  if (declared !== bytes.length) {
    throw new ConcordError('TEMPLATE_LENGTH', `${standard}: record length says ${declared} bytes, the record has ${bytes.length}`, { offset: 8, expected: declared, actual: bytes.length });
  }
  need(offset, 14, 'the record header');
  const equipment = view.getUint16(offset);
  const width = view.getUint16(offset + 2);
  const height = view.getUint16(offset + 4);
  const xResolution = view.getUint16(offset + 6);
  const yResolution = view.getUint16(offset + 8);
  const viewCount = bytes[offset + 10];
  offset += 12;
  if (xResolution === 0 || yResolution === 0) throw new ConcordError('TEMPLATE_BAD_HEADER', `${standard}: resolution is zero`, { offset: offset - 6 });

  const unit = angleUnit(standard);
  const views: FingerView[] = [];
  for (let v = 0; v < viewCount; v++) {
    need(offset, 4, `finger view ${v + 1}'s header`);
    const position = bytes[offset];
    const viewNumber = bytes[offset + 1] >> 4;
    const impressionType = bytes[offset + 1] & 0x0f;
    const quality = bytes[offset + 2];
    const count = bytes[offset + 3];
    offset += 4;
    need(offset, count * 6, `finger view ${v + 1}'s ${count} minutiae`);
    const minutiae: Minutia[] = [];
    for (let k = 0; k < count; k++) {
      const o = offset + k * 6;
      const angleCode = bytes[o + 4];
      if (standard === 'ansi378' && angleCode > 179) {
        throw new ConcordError('TEMPLATE_BAD_MINUTIA', `ansi378: minutia ${k + 1} of view ${v + 1} has angle code ${angleCode} (0–179 allowed)`, { offset: o + 4 });
      }
      minutiae.push({
        type: TYPES[bytes[o] >> 6],
        x: view.getUint16(o) & 0x3fff,
        y: view.getUint16(o + 2) & 0x3fff,
        angle: angleCode * unit,
        quality: bytes[o + 5],
      });
    }
    offset += count * 6;
    need(offset, 2, `finger view ${v + 1}'s extended data length`);
    const extendedLength = view.getUint16(offset);
    offset += 2;
    need(offset, extendedLength, `finger view ${v + 1}'s extended data`);
    views.push({ position, viewNumber, impressionType, quality, minutiae, extendedData: bytes.slice(offset, offset + extendedLength) });
    offset += extendedLength;
  }
  if (offset !== bytes.length) {
    throw new ConcordError('TEMPLATE_LENGTH', `${standard}: ${bytes.length - offset} bytes left after the last finger view`, { offset });
  }
  return { standard, equipment, productId, width, height, xResolution, yResolution, views };
}

export function encodeMinutiaeRecord(record: MinutiaeRecord): Uint8Array {
  const ansi = record.standard === 'ansi378';
  const body = record.views.reduce((sum, v) => sum + 4 + v.minutiae.length * 6 + 2 + v.extendedData.length, 0);
  const shortHeader = ansi ? 26 : 24;
  const long = ansi && shortHeader + body > 0xffff;
  const total = shortHeader + (long ? 4 : 0) + body;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  let offset = 8;
  if (!ansi) {
    view.setUint32(offset, total);
    offset += 4;
  } else {
    if (long) {
      view.setUint16(offset, 0);
      view.setUint32(offset + 2, total);
      offset += 6;
    } else {
      view.setUint16(offset, total);
      offset += 2;
    }
    view.setUint32(offset, record.productId >>> 0);
    offset += 4;
  }
  view.setUint16(offset, record.equipment);
  view.setUint16(offset + 2, record.width);
  view.setUint16(offset + 4, record.height);
  view.setUint16(offset + 6, record.xResolution);
  view.setUint16(offset + 8, record.yResolution);
  bytes[offset + 10] = record.views.length;
  offset += 12;
  const unit = angleUnit(record.standard);
  const codes = ansi ? 180 : 256;
  for (const finger of record.views) {
    if (finger.minutiae.length > 255) throw new ConcordError('TEMPLATE_TOO_LARGE', `a finger view holds at most 255 minutiae, got ${finger.minutiae.length}`);
    bytes[offset] = finger.position;
    bytes[offset + 1] = ((finger.viewNumber & 0x0f) << 4) | (finger.impressionType & 0x0f);
    bytes[offset + 2] = finger.quality;
    bytes[offset + 3] = finger.minutiae.length;
    offset += 4;
    for (const m of finger.minutiae) {
      view.setUint16(offset, (TYPE_BITS[m.type] << 14) | (clamp(Math.round(m.x), 0x3fff)));
      view.setUint16(offset + 2, clamp(Math.round(m.y), 0x3fff));
      const angle = ((m.angle % TWO_PI) + TWO_PI) % TWO_PI;
      bytes[offset + 4] = Math.round(angle / unit) % codes;
      bytes[offset + 5] = clamp(Math.round(m.quality), 100);
      offset += 6;
    }
    view.setUint16(offset, finger.extendedData.length);
    bytes.set(finger.extendedData, offset + 2);
    offset += 2 + finger.extendedData.length;
  }
  return bytes;
}

/** One finger view as an engine template at 500 ppi. */
export function recordToTemplate(record: MinutiaeRecord, viewIndex = 0): FingerprintTemplate {
  const finger = record.views[viewIndex];
  if (!finger) throw new ConcordError('TEMPLATE_NO_VIEW', `the record has ${record.views.length} finger views, not ${viewIndex + 1}`);
  const sx = ENGINE_PPI / (record.xResolution * 2.54);
  const sy = ENGINE_PPI / (record.yResolution * 2.54);
  // 197 px/cm is the standard's way of writing 500 ppi (500.38); treat it as exact.
  const scaleX = Math.abs(sx - 1) < 0.01 ? 1 : sx;
  const scaleY = Math.abs(sy - 1) < 0.01 ? 1 : sy;
  return {
    width: Math.round(record.width * scaleX),
    height: Math.round(record.height * scaleY),
    quality: finger.quality,
    minutiae: finger.minutiae.map((m) => ({ ...m, x: m.x * scaleX, y: m.y * scaleY })),
  };
}

export function templateToRecord(
  template: FingerprintTemplate,
  options: { standard: MinutiaeStandard; position?: number; impressionType?: number },
): MinutiaeRecord {
  return {
    standard: options.standard,
    equipment: 0,
    productId: 0,
    width: template.width,
    height: template.height,
    xResolution: 197,
    yResolution: 197,
    views: [
      {
        position: options.position ?? 0,
        viewNumber: 0,
        impressionType: options.impressionType ?? 0,
        quality: template.quality,
        minutiae: template.minutiae.slice(0, 255),
        extendedData: new Uint8Array(0),
      },
    ],
  };
}

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value;
}
