/** Separable [1 2 1]/4 blur: sensors never deliver perfectly sharp ridges. */
export function blur121(values: Float32Array, width: number, height: number): Float32Array {
  const across = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const left = values[row + Math.max(0, x - 1)];
      const right = values[row + Math.min(width - 1, x + 1)];
      across[row + x] = 0.25 * left + 0.5 * values[row + x] + 0.25 * right;
    }
  }
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width;
    const down = Math.min(height - 1, y + 1) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = 0.25 * across[up + x] + 0.5 * across[row + x] + 0.25 * across[down + x];
  }
  return out;
}
