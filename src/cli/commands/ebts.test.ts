import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './ebts.ts';
import { frontalFaceOf } from '../../formats/ansi-nist/face-records.ts';
import { readTransaction } from '../../formats/ansi-nist/read-transaction.ts';
import { samplePortrait } from '../../infra/faces/sample-faces.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url));

/** Runs an ebts command and gives its exit code and what it printed. */
async function ebts(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const code = await run(args);
  vi.restoreAllMocks();
  return { code, out };
}

afterEach(() => vi.restoreAllMocks());

describe('concord ebts check and dump --json', () => {
  it('check exits 0 for a valid file that writes back byte for byte', async () => {
    const { code, out } = await ebts(['check', fixture('type-14-tpcard-nqm.an2')]);
    expect(code).toBe(0);
    expect(out).toContain('written back byte for byte');
  });

  it('check exits 1 and gives the first differing offset and every problem for a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-ebts-'));
    try {
      const text = (await readFile(fixture('type-4-slaps.an2'))).toString('latin1').replace('1.001:191', '1.001:190');
      const path = join(dir, 'damaged.an2');
      await writeFile(path, Buffer.from(`${text}xx`, 'latin1'));
      const { code, out } = await ebts(['check', path, '--json']);
      expect(code).toBe(1);
      const json = JSON.parse(out) as { valid: boolean; identical: boolean; firstDifference: number; problems: { code: string }[] };
      expect(json).toMatchObject({ valid: false, identical: false, firstDifference: 8 });
      expect(json.problems.map((p) => p.code)).toEqual(['AN_LENGTH_MISMATCH', 'AN_TRAILING_BYTES']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('check lists a field the record type does not define, with its record and tag, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-ebts-'));
    try {
      // 14.019 is reserved in the Type-14 layout; renaming 14.022 NQM to it keeps every LEN right.
      const text = (await readFile(fixture('type-14-tpcard-nqm.an2'))).toString('latin1');
      expect(text).toContain('\x1d14.022:');
      const path = join(dir, 'reserved.an2');
      await writeFile(path, Buffer.from(text.replace('\x1d14.022:', '\x1d14.019:'), 'latin1'));
      const { code, out } = await ebts(['check', path, '--json']);
      expect(code).toBe(1);
      const json = JSON.parse(out) as { identical: boolean; problems: { code: string; where: { record: number; field: string } }[] };
      expect(json.identical).toBe(true);
      expect(json.problems[0]).toMatchObject({ code: 'AN_UNDEFINED_FIELD', where: { field: '14.019' } });
      expect(json.problems[0].where.record).toBeGreaterThanOrEqual(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('make --compression JP2L builds a CAR whose JPEG 2000 images check and decode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-ebts-'));
    try {
      const desc = join(dir, 'desc.json');
      await writeFile(desc, JSON.stringify({ tot: 'CAR', ori: 'NY0303000', tcn: 'NY0303000-20260314-0001', name: 'DOE,JOHN', dob: '19800101', sex: 'M', positions: [1, 2] }));
      const prints = [101, 102].map((finger) => fileURLToPath(new URL(`../../../fixtures/fingerprints/${finger}_1.png`, import.meta.url)));
      const out = join(dir, 'car.an2');
      expect((await ebts(['make', '--json', desc, ...prints, '--out', out, '--compression', 'JP2L'])).out).toContain('JP2L');
      expect((await ebts(['check', out])).code).toBe(0);
      const { out: decoded } = await ebts(['dump', out, '--decode']);
      expect(decoded).toMatch(/decoded 2 finger image\(s\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('make --face adds the photo as a Type-10 face record that the transaction carries as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-ebts-'));
    try {
      const desc = join(dir, 'desc.json');
      await writeFile(desc, JSON.stringify({ tot: 'CAR', ori: 'NY0303000', tcn: 'NY0303000-20260314-0002', name: 'DOE,JANE', dob: '19800101', sex: 'F', positions: [2] }));
      const photo = join(dir, 'face.jpg');
      await writeFile(photo, await samplePortrait('s5f0'));
      const out = join(dir, 'car.an2');
      const print = fileURLToPath(new URL('../../../fixtures/fingerprints/101_1.png', import.meta.url));
      expect((await ebts(['make', '--json', desc, print, '--out', out, '--face', photo])).out).toContain('a Type-10 face (JPEGB)');
      expect((await ebts(['check', out])).code).toBe(0);
      const face = frontalFaceOf(readTransaction(new Uint8Array(await readFile(out))));
      expect(face).toMatchObject({ record: 4, compression: 'JPEGB', pose: 'F' });
      expect(Buffer.from(face!.data).equals(await readFile(photo))).toBe(true);
      const notAPhoto = join(dir, 'face.txt');
      await writeFile(notAPhoto, 'no photo');
      await expect(ebts(['make', '--json', desc, print, '--out', out, '--face', notAPhoto])).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('dump --json gives every record with named fields and images summarised', async () => {
    const { code, out } = await ebts(['dump', fixture('record-types/type-17.an2'), '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { records: { type: number; fields?: { tag: string; name: string | null; binaryBytes?: number }[]; image?: { dataBytes: number } }[] };
    const iris = json.records[2];
    expect(iris.type).toBe(17);
    expect(iris.fields!.find((f) => f.tag === '17.003')!.name).toBe('ELR');
    expect(iris.fields!.at(-1)).toEqual({ tag: '17.999', name: 'DATA', binaryBytes: 192 });
    expect(iris.image!.dataBytes).toBe(192);
  });
});
