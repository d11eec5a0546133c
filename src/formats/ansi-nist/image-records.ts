import type { GrayImage } from '../../biometrics/gray-image.ts';
import { within } from '../../shared/errors.ts';
import { IMAGE_CODECS } from './image-codecs.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, fieldText, findField, splitSubfields, type TaggedRecord } from './model.ts';
import { transactionProblem } from './problems.ts';
import { unpackBinaryImage } from './unpack-binary-image.ts';

/** What an image record says about its image, without decoding it. */
export interface ImageSummary {
  /** 1-based position of the record in the transaction. */
  readonly record: number;
  readonly type: number;
  readonly idc: number;
  readonly impression: number | undefined;
  /** Finger (Types 4, 13, 14) or palm (Type-15) positions; empty for Type-10. */
  readonly positions: readonly number[];
  readonly width: number;
  readonly height: number;
  /** Pixels per inch when the record states it; undefined when it gives only an aspect ratio. */
  readonly ppi: number | undefined;
  /** Compression as the 1-2011 labels it: NONE, WSQ20, JPEGB, JPEGL, JP2, JP2L, PNG... */
  readonly compression: string;
  readonly bitsPerPixel: number;
  readonly data: Uint8Array;
}

/** Records whose image the summary describes: the binary fingerprints, and tagged images laid out like Type-13 (fields 6–12). */
const IMAGE_RECORD_TYPES = new Set([3, 4, 5, 6, 10, 13, 14, 15, 16, 17]);
/** Tagged types whose field 13 lists finger or palm positions. */
const POSITIONED_TYPES = new Set([13, 14, 15]);
/** GCA byte values (Types 3, 4) in the order of the 1-2011 compression table. */
const GCA_LABELS = ['NONE', 'WSQ20', 'JPEGB', 'JPEGL', 'JP2', 'JP2L', 'PNG'];
/** BCA byte values (binary Types 5, 6): uncompressed, or ANSI/EIA-538 facsimile. */
const BCA_LABELS = ['NONE', 'FAX'];
const MM_PER_INCH = 25.4;
const CM_PER_INCH = 2.54;

export function isImageRecord(record: AnsiNistRecord): boolean {
  return IMAGE_RECORD_TYPES.has(record.type);
}

/** Summaries of every image record, in file order. */
export function summarizeImages(transaction: AnsiNistTransaction): ImageSummary[] {
  const summaries: ImageSummary[] = [];
  transaction.records.forEach((record, i) => {
    if (isImageRecord(record)) summaries.push(summarizeImage(transaction, i + 1));
  });
  return summaries;
}

/** The summary of the image record at 1-based position `index`. */
export function summarizeImage(transaction: AnsiNistTransaction, index: number): ImageSummary {
  const record = transaction.records[index - 1];
  if (!record || !isImageRecord(record) || record.kind === 'signature' || record.kind === 'user-defined-image') {
    throw transactionProblem('AN_NOT_AN_IMAGE_RECORD', 'this is not an image record', { record: index, recordType: record?.type, offset: 0 });
  }
  if (record.kind === 'fingerprint-binary') {
    const type1 = transaction.records[0] as TaggedRecord;
    // ISR 0: the native scanning resolution 1.011 NSR; 1: the nominal transmitting one 1.012 NTR,
    // which the low-resolution Types 3 and 5 carry at half.
    const lowResolution = record.type === 3 || record.type === 5;
    const pixelsPerMm = record.isr === 0 ? Number(fieldText(type1, 11)) : Number(fieldText(type1, 12)) / (lowResolution ? 2 : 1);
    const binary = record.type === 5 || record.type === 6;
    return {
      record: index,
      type: record.type,
      idc: record.idc,
      impression: record.imp,
      positions: record.fgp.filter((position) => position !== 255),
      width: record.width,
      height: record.height,
      ppi: pixelsPerMm > 0 ? pixelsPerMm * MM_PER_INCH : undefined,
      compression: (binary ? BCA_LABELS[record.gca] : GCA_LABELS[record.gca]) ?? `${binary ? 'BCA' : 'GCA'} ${record.gca}`,
      bitsPerPixel: binary ? 1 : 8,
      data: record.data,
    };
  }
  const number = (field: number) => {
    const text = fieldText(record, field);
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const scaleUnits = number(8);
  const horizontalScale = number(9) ?? 0;
  const positionsText = POSITIONED_TYPES.has(record.type) ? fieldText(record, 13) : undefined;
  const data = findField(record, 999)?.value;
  return {
    record: index,
    type: record.type,
    idc: number(2) ?? -1,
    impression: POSITIONED_TYPES.has(record.type) ? number(3) : undefined,
    positions: positionsText ? splitSubfields(positionsText).map((items) => Number(items[0])).filter(Number.isInteger) : [],
    width: number(6) ?? 0,
    height: number(7) ?? 0,
    ppi: scaleUnits === 1 && horizontalScale > 0 ? horizontalScale : scaleUnits === 2 && horizontalScale > 0 ? horizontalScale * CM_PER_INCH : undefined,
    compression: (fieldText(record, 11) ?? 'NONE').toUpperCase(),
    bitsPerPixel: number(12) ?? 8,
    data: data instanceof Uint8Array ? data : new Uint8Array(0),
  };
}

/** The size and resolution of a record's image as its headers give them, before it is decoded. */
export interface ImageGeometry {
  readonly width: number;
  readonly height: number;
  readonly ppi: number;
}

/**
 * Decodes the image of a fingerprint or palm record (raw, one-bit, WSQ or JPEG 2000) at its own resolution. Errors
 * name the record, its IDC and its finger positions. `accept`, when given, sees the image's size
 * and resolution from the record and the WSQ header (which must agree) before anything is
 * decoded, and may refuse it by throwing.
 */
export function decodeImageRecord(transaction: AnsiNistTransaction, index: number, accept?: (geometry: ImageGeometry) => void): GrayImage {
  const summary = summarizeImage(transaction, index);
  const where = {
    record: index,
    recordType: summary.type,
    field: summary.type <= 6 ? `${summary.type}.009` : `${summary.type}.999`,
    offset: 0,
    idc: summary.idc,
    fgp: summary.positions.join(',') || 'none',
  };
  const label = `IDC ${summary.idc}, finger position ${where.fgp}`;
  let decode: () => { width: number; height: number; pixels: Uint8Array };
  let headerPpi: number | undefined;
  const codec = IMAGE_CODECS[summary.compression];
  if (summary.compression === 'NONE') {
    if (summary.bitsPerPixel === 1) {
      const needed = Math.ceil(summary.width / 8) * summary.height;
      if (needed !== summary.data.length) {
        throw transactionProblem('AN_IMAGE_SIZE', `${label}: ${summary.width}×${summary.height} one-bit pixels need ${needed} bytes but the record holds ${summary.data.length}`, where);
      }
      decode = () => ({ width: summary.width, height: summary.height, pixels: unpackBinaryImage(summary.data, summary.width, summary.height)! });
    } else if (summary.bitsPerPixel !== 8) {
      throw transactionProblem('AN_UNSUPPORTED_IMAGE', `${label}: ${summary.bitsPerPixel}-bit raw images are not supported (8-bit grey and 1-bit only)`, where);
    } else if (summary.width * summary.height !== summary.data.length) {
      throw transactionProblem('AN_IMAGE_SIZE', `${label}: ${summary.width}×${summary.height} raw pixels need ${summary.width * summary.height} bytes but the record holds ${summary.data.length}`, where);
    } else {
      decode = () => ({ width: summary.width, height: summary.height, pixels: summary.data.slice() });
    }
  } else if (codec) {
    // Every codec the same way: its header must agree with the record before anything is decoded.
    const badStream = (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      return transactionProblem(codec.badStreamCode, `${label}: the image data is not a valid ${codec.name} image (${reason})`, where);
    };
    let header;
    try {
      header = codec.readHeader(summary.data);
    } catch (error) {
      throw badStream(error);
    }
    if (header.width !== summary.width || header.height !== summary.height) {
      throw transactionProblem('AN_IMAGE_SIZE', `${label}: the record says ${summary.width}×${summary.height} but the ${codec.name} image is ${header.width}×${header.height}`, where);
    }
    headerPpi = header.ppi;
    decode = () => {
      try {
        return codec.decode(summary.data);
      } catch (error) {
        throw badStream(error);
      }
    };
  } else {
    throw transactionProblem('AN_UNSUPPORTED_COMPRESSION', `${label}: ${summary.compression} images cannot be decoded (raw, WSQ and JPEG 2000 only)`, where);
  }
  // The record's own scale wins; a WSQ header's PPI is often a placeholder (the NIST slaps say 255).
  const ppi = summary.ppi ?? headerPpi ?? 500;
  try {
    accept?.({ width: summary.width, height: summary.height, ppi });
  } catch (error) {
    throw within(error, label, where);
  }
  const { width, height, pixels } = decode();
  return { width, height, pixels, ppi };
}
