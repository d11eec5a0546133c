import { crc32 } from 'node:zlib';
import { ConcordError } from '../shared/errors.ts';
import { NO_RIDGES, type FingerprintTemplate, type Minutia, type MinutiaType, type OrientationMap } from './template.ts';

/**
 * Concord's own template format, version 2: compact, versioned, checksummed.
 *
 *   offset size  field
 *   0      3     magic "CFT"
 *   3      1     format version (2; version 1 ends after the minutiae)
 *   4      1     impression quality 0–100
 *   5      2     width (px at 500 ppi), big-endian
 *   7      2     height
 *   9      2     minutiae count n
 *   11     8·n   per minutia: x u16, y u16, angle u16 (units of 2π/65536), type u8, quality u8
 *   o=11+8n 1    orientation map block size in px (0: no map, and nothing follows)
 *   o+1    2     map columns c
 *   o+3    2     map rows r
 *   o+5    c·r   per block, row by row: ridge angle in degrees 0–179, or 255 outside the print
 *   end    4     CRC-32 of everything before it
 *
 * Angles keep 0.0055° precision (ISO's byte keeps 1.4°), so storing our own templates loses nothing
 * the matcher could use; positions are whole pixels.
 */
const MAGIC = [0x43, 0x46, 0x54]; // "CFT"
const VERSION = 2;
const HEADER_BYTES = 11;
const MAP_HEADER_BYTES = 5;
const MINUTIA_BYTES = 8;
const TYPES: readonly MinutiaType[] = ['other', 'ending', 'bifurcation'];
const ANGLE_UNITS = 65536;

export function encodeTemplate(template: FingerprintTemplate): Uint8Array {
  const count = template.minutiae.length;
  if (count > 0xffff) throw new ConcordError('TEMPLATE_TOO_LARGE', `${count} minutiae exceed the format's 65535`);
  const map = template.orientation;
  if (map) checkMap(map);
  const mapBytes = map ? MAP_HEADER_BYTES + map.columns * map.rows : 1;
  const bytes = new Uint8Array(HEADER_BYTES + count * MINUTIA_BYTES + mapBytes + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[3] = VERSION;
  bytes[4] = clamp(Math.round(template.quality), 0, 100);
  view.setUint16(5, clamp(Math.round(template.width), 0, 0xffff));
  view.setUint16(7, clamp(Math.round(template.height), 0, 0xffff));
  view.setUint16(9, count);
  template.minutiae.forEach((m, i) => {
    const o = HEADER_BYTES + i * MINUTIA_BYTES;
    view.setUint16(o, clamp(Math.round(m.x), 0, 0xffff));
    view.setUint16(o + 2, clamp(Math.round(m.y), 0, 0xffff));
    view.setUint16(o + 4, Math.round((normalizeAngle(m.angle) / (2 * Math.PI)) * ANGLE_UNITS) % ANGLE_UNITS);
    bytes[o + 6] = TYPES.indexOf(m.type);
    bytes[o + 7] = clamp(Math.round(m.quality), 0, 100);
  });
  const mapAt = HEADER_BYTES + count * MINUTIA_BYTES;
  if (map) {
    bytes[mapAt] = map.blockSize;
    view.setUint16(mapAt + 1, map.columns);
    view.setUint16(mapAt + 3, map.rows);
    bytes.set(map.angles, mapAt + MAP_HEADER_BYTES);
  }
  const end = mapAt + mapBytes;
  view.setUint32(end, crc32(bytes.subarray(0, end)));
  return bytes;
}

export function isConcordTemplate(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === MAGIC[0] && bytes[1] === MAGIC[1] && bytes[2] === MAGIC[2];
}

export function decodeTemplate(bytes: Uint8Array): FingerprintTemplate {
  const { view, count, map } = checkedLayout(bytes);
  const minutiae: Minutia[] = [];
  for (let i = 0; i < count; i++) {
    const o = HEADER_BYTES + i * MINUTIA_BYTES;
    minutiae.push({
      x: view.getUint16(o),
      y: view.getUint16(o + 2),
      angle: (view.getUint16(o + 4) / ANGLE_UNITS) * 2 * Math.PI,
      type: TYPES[bytes[o + 6]],
      quality: bytes[o + 7],
    });
  }
  const template = { width: view.getUint16(5), height: view.getUint16(7), quality: bytes[4], minutiae };
  if (!map) return template;
  const orientation: OrientationMap = { blockSize: bytes[map.at], columns: map.columns, rows: map.rows, angles: bytes.slice(map.at + MAP_HEADER_BYTES, map.end) };
  return { ...template, orientation };
}

/**
 * Every check `decodeTemplate` makes (framing, version, checksum, minutia types, orientation
 * angles), throwing the same TEMPLATE_* error, without building the template: for a gallery that
 * keeps templates encoded and only needs to know they are sound.
 */
export function checkTemplate(bytes: Uint8Array): void {
  checkedLayout(bytes);
}

function checkedLayout(bytes: Uint8Array): { view: DataView; count: number; map?: { at: number; columns: number; rows: number; end: number } } {
  const fail = (code: string, message: string, offset: number): never => {
    throw new ConcordError(code, `Concord template: ${message}`, { offset });
  };
  if (bytes.length < HEADER_BYTES + 4) fail('TEMPLATE_TRUNCATED', `${bytes.length} bytes is shorter than the smallest template`, bytes.length);
  if (!isConcordTemplate(bytes)) fail('TEMPLATE_BAD_MAGIC', 'not a Concord template (magic "CFT" expected)', 0);
  const version = bytes[3];
  if (version !== 1 && version !== VERSION) fail('TEMPLATE_VERSION', `version ${version} is not supported (expected 1 or ${VERSION})`, 3);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(9);
  const mapAt = HEADER_BYTES + count * MINUTIA_BYTES;
  let end = mapAt;
  let map: { at: number; columns: number; rows: number; end: number } | undefined;
  if (version === VERSION) {
    if (bytes.length < mapAt + 1 + 4) fail('TEMPLATE_TRUNCATED', `${count} minutiae need at least ${mapAt + 5} bytes, got ${bytes.length}`, Math.min(bytes.length, mapAt));
    end = mapAt + 1;
    if (bytes[mapAt] !== 0) {
      if (bytes.length < mapAt + MAP_HEADER_BYTES + 4) fail('TEMPLATE_TRUNCATED', `the orientation map's header needs ${mapAt + MAP_HEADER_BYTES + 4} bytes, got ${bytes.length}`, bytes.length);
      const columns = view.getUint16(mapAt + 1);
      const rows = view.getUint16(mapAt + 3);
      end = mapAt + MAP_HEADER_BYTES + columns * rows;
      map = { at: mapAt, columns, rows, end };
    }
  }
  if (bytes.length !== end + 4) fail('TEMPLATE_TRUNCATED', `the template needs ${end + 4} bytes, got ${bytes.length}`, Math.min(bytes.length, end));
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) fail('TEMPLATE_CHECKSUM', 'checksum mismatch: the template is damaged', end);
  for (let i = 0; i < count; i++) {
    const o = HEADER_BYTES + i * MINUTIA_BYTES;
    if (bytes[o + 6] >= TYPES.length) fail('TEMPLATE_BAD_MINUTIA', `minutia ${i} has unknown type ${bytes[o + 6]}`, o + 6);
  }
  if (map) {
    for (let at = map.at + MAP_HEADER_BYTES; at < map.end; at++) {
      const angle = bytes[at];
      if (angle >= 180 && angle !== NO_RIDGES) fail('TEMPLATE_BAD_ORIENTATION', `orientation block ${at - map.at - MAP_HEADER_BYTES} has angle ${angle} (0–179 or 255 expected)`, at);
    }
  }
  return { view, count, map };
}

/** Minutiae's positions and angles as parallel arrays, of which the first `count` hold them. */
export interface MinutiaArrays {
  readonly count: number;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly angle: Float64Array;
}

/**
 * The minutiae's positions and angles of a template that has already passed `decodeTemplate`'s
 * checks, read straight from its bytes into typed arrays: what a gallery's index needs, without
 * building the template's objects again for every finger it loads. Into `into`'s arrays when they
 * are long enough (a search reads thousands of templates and keeps none), else into new ones.
 */
export function checkedMinutiaPoints(bytes: Uint8Array, into?: MinutiaArrays): MinutiaArrays {
  const count = (bytes[9] << 8) | bytes[10];
  const reused = into !== undefined && into.x.length >= count;
  const x = reused ? into.x : new Uint16Array(count);
  const y = reused ? into.y : new Uint16Array(count);
  const angle = reused ? into.angle : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = HEADER_BYTES + i * MINUTIA_BYTES;
    x[i] = (bytes[o] << 8) | bytes[o + 1];
    y[i] = (bytes[o + 2] << 8) | bytes[o + 3];
    angle[i] = (((bytes[o + 4] << 8) | bytes[o + 5]) / ANGLE_UNITS) * 2 * Math.PI;
  }
  return { count, x, y, angle };
}

function normalizeAngle(angle: number): number {
  const twoPi = 2 * Math.PI;
  return ((angle % twoPi) + twoPi) % twoPi;
}

function checkMap({ blockSize, columns, rows, angles }: OrientationMap): void {
  const bad = (message: string): never => {
    throw new ConcordError('TEMPLATE_BAD_ORIENTATION', `orientation map: ${message}`, { blockSize, columns, rows, angles: angles.length });
  };
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 255) bad(`block size ${blockSize} is not 1–255 pixels`);
  if (!Number.isInteger(columns) || !Number.isInteger(rows) || columns < 0 || rows < 0 || columns > 0xffff || rows > 0xffff) bad(`${columns} × ${rows} blocks do not fit the format`);
  if (angles.length !== columns * rows) bad(`${angles.length} angles for ${columns} × ${rows} blocks`);
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
