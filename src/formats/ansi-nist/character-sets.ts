import { asciiText } from './ascii.ts';
import { fieldText, splitSubfields, type TaggedRecord } from './model.ts';

/**
 * The character encodings field 1.015 DCS may declare (ANSI/NIST-ITL 1-2011 Table 4): 000 7-bit
 * ASCII (the default), 001 8-bit Latin (ISO 8859-1), 002 UTF-16, 003 UTF-8, 004 UTF-32, 128–999
 * user-defined. ASCII, Latin-1 and UTF-8 are checked byte by byte; the others cannot be checked
 * without knowing them and are kept byte for byte. Type-1 is always 7-bit ASCII.
 */
export interface TextEncodings {
  /** The encoding of text outside escape sequences. */
  readonly main: number;
  /** Every index 1.015 lists, which escape sequences may switch to. */
  readonly listed: ReadonlySet<number>;
}

export const ASCII_ONLY: TextEncodings = { main: 0, listed: new Set([0]) };
export const ENCODING_NAMES: Readonly<Record<number, string>> = { 0: 'ASCII', 1: 'Latin-1', 2: 'UTF-16', 3: 'UTF-8', 4: 'UTF-32' };

const STX = 0x02;
const ETX = 0x03;
/** Some senders write STX "=" before the index; both forms are read and kept as written. */
const EQUALS = 0x3d;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** A text value's bytes that do not fit their encoding: where, and why. */
export interface TextMisfit {
  readonly offset: number;
  readonly reason: string;
}

/**
 * The encodings 1.015 declares: subfields of CSI (three digits), CSN (name), CSV (version). The
 * first is the encoding of the text; all listed may be switched to by an escape sequence.
 * Returns a misfit (offset within the field) for a CSI that is not a defined or user-defined index.
 */
export function declaredEncodings(type1: TaggedRecord): TextEncodings | TextMisfit {
  const text = fieldText(type1, 15);
  if (text === undefined || text === '') return ASCII_ONLY;
  const listed = new Set<number>([0]);
  let main: number | undefined;
  for (const [csi] of splitSubfields(text)) {
    const index = /^\d{1,3}$/.test(csi) ? Number(csi) : -1;
    if (index < 0 || (index > 4 && index < 128)) return { offset: 0, reason: `"${csi}" is not a character encoding index of 1.015 DCS (000–004 or user-defined 128–999)` };
    main ??= index;
    listed.add(index);
  }
  return { main: main ?? 0, listed };
}

/**
 * Decodes the bytes of a text value. STX and ETX are reserved in every encoding (1-2011 Update
 * 2013, §5.5 with Table 4): they only open and close an escape sequence — STX, an optional "=",
 * the three-digit index of an encoding 1.015 lists, text in that encoding, ETX. The sequence is
 * kept in the text as written, its inner text decoded, so that encoding the text again gives the
 * same bytes. An STX or ETX anywhere else is a misfit.
 */
export function decodeText(bytes: Uint8Array, start: number, end: number, encodings: TextEncodings): string | TextMisfit {
  let text = '';
  let at = start;
  while (at < end) {
    const control = nextControl(bytes, at, end);
    const plain = decodeIn(bytes, at, control, encodings.main);
    if (typeof plain !== 'string') return plain;
    text += plain;
    if (control === end) break;
    if (bytes[control] === ETX) return { offset: control, reason: 'an ETX ends no escape sequence (STX and ETX are reserved for escape sequences)' };
    const escape = readEscape(bytes, control, end, encodings);
    if ('reason' in escape) return escape;
    text += escape.text;
    at = escape.end;
  }
  return text;
}

/** The first STX or ETX in [from, end), or end. */
function nextControl(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === STX || bytes[i] === ETX) return i;
  return end;
}

function readEscape(bytes: Uint8Array, stx: number, end: number, encodings: TextEncodings): { text: string; end: number } | TextMisfit {
  if (encodings.listed.size < 2) return { offset: stx, reason: 'an escape sequence (STX) switches to no encoding: 1.015 DCS declares no other' };
  const equals = bytes[stx + 1] === EQUALS ? 1 : 0;
  const digitsAt = stx + 1 + equals;
  const digits = digitsAt + 3 <= end ? asciiText(bytes, digitsAt, digitsAt + 3) : '';
  if (!/^\d{3}$/.test(digits) || !encodings.listed.has(Number(digits))) {
    return { offset: stx, reason: 'an escape sequence (STX) must name, in three digits, an encoding 1.015 DCS lists' };
  }
  const close = nextControl(bytes, digitsAt + 3, end);
  if (close === end || bytes[close] !== ETX) return { offset: stx, reason: 'an escape sequence (STX) is not closed by ETX within the field' };
  const inner = decodeIn(bytes, digitsAt + 3, close, Number(digits));
  if (typeof inner !== 'string') return inner;
  return { text: `\x02${equals ? '=' : ''}${digits}${inner}\x03`, end: close + 1 };
}

function decodeIn(bytes: Uint8Array, start: number, end: number, index: number): string | TextMisfit {
  if (index === 0) {
    for (let i = start; i < end; i++) if (bytes[i] > 0x7f) return { offset: i, reason: `byte 0x${bytes[i].toString(16)} is not 7-bit ASCII` };
    return asciiText(bytes, start, end);
  }
  if (index !== 3) return asciiText(bytes, start, end); // Latin-1, and the encodings kept byte for byte
  const bad = firstBadUtf8(bytes, start, end);
  if (bad >= 0) return { offset: bad, reason: `byte 0x${bytes[bad].toString(16)} does not continue a valid UTF-8 sequence` };
  return utf8.decode(bytes.subarray(start, end));
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF), or -1. */
function firstBadUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const count = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
    if (count < 0) return i;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= count; k++) {
      const byte = i + k < end ? bytes[i + k] : -1;
      if (byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i + k < end ? i + k : i;
    }
    i += count + 1;
  }
  return -1;
}

/** Encodes a text value as `decodeText` read it; returns a misfit (character index) for a character the encoding lacks. */
export function encodeText(text: string, encodings: TextEncodings): Uint8Array | TextMisfit {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at < text.length) {
    const control = nextControlChar(text, at);
    const plain = encodeIn(text.slice(at, control), encodings.main, at);
    if (!(plain instanceof Uint8Array)) return plain;
    parts.push(plain);
    if (control === text.length) break;
    const equals = text[control + 1] === '=' ? 1 : 0;
    const digitsAt = control + 1 + equals;
    const digits = text.slice(digitsAt, digitsAt + 3);
    const close = nextControlChar(text, digitsAt + 3);
    if (text[control] !== '\x02' || encodings.listed.size < 2 || !/^\d{3}$/.test(digits) || !encodings.listed.has(Number(digits)) || text[close] !== '\x03') {
      return { offset: control, reason: 'STX and ETX only frame an escape sequence: STX, an encoding index 1.015 DCS lists in three digits, text, ETX' };
    }
    const inner = encodeIn(text.slice(digitsAt + 3, close), Number(digits), digitsAt + 3);
    if (!(inner instanceof Uint8Array)) return inner;
    parts.push(asciiBytes(text.slice(control, digitsAt + 3)), inner, Uint8Array.of(ETX));
    at = close + 1;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function nextControlChar(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\x02' || text[i] === '\x03') return i;
  return text.length;
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function encodeIn(text: string, index: number, base: number): Uint8Array | TextMisfit {
  if (index === 3) return utf8Encoder.encode(text);
  const limit = index === 0 ? 0x7f : 0xff;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > limit) return { offset: base + i, reason: `character ${JSON.stringify(text[i])} is not in ${ENCODING_NAMES[index] ?? `encoding ${index}`}` };
    out[i] = code;
  }
  return out;
}
