import { describe, expect, it } from 'vitest';
import { decodeTemplate, encodeTemplate } from '../template-codec.ts';
import { populationTemplate } from './population-template.ts';
import { generatePopulation } from './generate-population.ts';
import { batchTemplates } from './population-batch.ts';

describe('populationTemplate', () => {
  it('makes the same finger from the same seed and different fingers from different seeds', () => {
    expect(encodeTemplate(populationTemplate(7))).toEqual(encodeTemplate(populationTemplate(7)));
    const seen = new Set<string>();
    for (let seed = 1; seed <= 500; seed++) seen.add(Buffer.from(encodeTemplate(populationTemplate(seed))).toString('base64'));
    expect(seen.size).toBe(500);
  });

  it('lays minutiae out as an extractor finds them in a plain impression: counts, spacing, inside the frame, along the ridge flow', () => {
    const counts: number[] = [];
    const deviations: number[] = [];
    let closest = Infinity;
    for (let seed = 1; seed <= 300; seed++) {
      const template = decodeTemplate(encodeTemplate(populationTemplate(seed)));
      counts.push(template.minutiae.length);
      const map = template.orientation!;
      for (const m of template.minutiae) {
        expect(m.x).toBeGreaterThanOrEqual(0);
        expect(m.x).toBeLessThan(template.width);
        expect(m.y).toBeLessThan(template.height);
        for (const other of template.minutiae) if (other !== m) closest = Math.min(closest, Math.hypot(other.x - m.x, other.y - m.y));
        // Ridges run along (cos φ, sin φ) with y down; a minutia along them has θ ≡ −φ (mod π).
        const block = map.angles[Math.min(map.rows - 1, Math.floor(m.y / map.blockSize)) * map.columns + Math.min(map.columns - 1, Math.floor(m.x / map.blockSize))];
        if (block === 255) continue;
        const flow = (block * Math.PI) / 180;
        const off = Math.abs((((m.angle + flow) % Math.PI) + Math.PI) % Math.PI);
        deviations.push(Math.min(off, Math.PI - off));
      }
    }
    expect(closest).toBeGreaterThanOrEqual(7);
    // Near a core the flow turns within a block, so the block's angle is only close on the whole.
    deviations.sort((a, b) => a - b);
    expect(deviations[Math.floor(deviations.length / 2)]).toBeLessThan(0.2);
    expect(deviations[Math.floor(deviations.length * 0.9)]).toBeLessThan(0.5);
    counts.sort((a, b) => a - b);
    expect(counts[150]).toBeGreaterThan(30);
    expect(counts[150]).toBeLessThan(55);
    expect(counts[0]).toBeGreaterThanOrEqual(12);
  });

  it('makes the same population on worker threads as in this thread, in seed order', async () => {
    const made = async (workers: number) => {
      const templates: Uint8Array[] = [];
      await generatePopulation(7, (batch) => void templates.push(...batchTemplates(batch)), { firstSeed: 100, workers });
      return templates.map((t) => Buffer.from(t).toString('base64'));
    };
    const inThread = await made(1);
    expect(inThread).toEqual(Array.from({ length: 7 }, (_, k) => Buffer.from(encodeTemplate(populationTemplate(100 + k))).toString('base64')));
    expect(await made(2)).toEqual(inThread);
    await expect(generatePopulation(-1, () => {})).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
