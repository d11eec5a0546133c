/**
 * The officer portal's weight and speed: its files as served (raw and gzip), and the time from
 * navigation to a usable sign-in form in headless Chromium with an empty cache (median of 5).
 * Run alone: `node --import tsx bench/portal.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../src/testing/chromium.ts';
import { startTestSystem } from '../src/testing/test-system.ts';
import { formatTable, type Row } from './table.ts';

const PORTAL = new URL('../src/portal/', import.meta.url).pathname;

export async function runPortalBench(): Promise<Row[]> {
  const files = await portalFiles(PORTAL);
  let raw = 0;
  let gzipped = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    gzipped += gzipSync(bytes).length;
  }
  const rows: Row[] = [{ measure: `portal files (${files.length}: HTML, CSS, JavaScript modules; no framework)`, result: `${(raw / 1024).toFixed(1)} kB`, note: `served uncompressed; ${(gzipped / 1024).toFixed(1)} kB if gzip-compressed` }];

  const t = await startTestSystem();
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    const interactive: number[] = [];
    const usable: number[] = [];
    for (let run = 0; run < 6; run++) {
      const context = await browser.newContext(); // empty cache each time
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(url);
      await page.getByLabel('User').waitFor({ state: 'visible' });
      const elapsed = performance.now() - started;
      const domInteractive = Number(await page.evaluate('performance.getEntriesByType("navigation")[0].domInteractive'));
      await context.close();
      if (run === 0) continue; // the first run also starts the browser's machinery
      usable.push(elapsed);
      interactive.push(domInteractive);
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    rows.push({ measure: 'DOM interactive after navigation (median of 5, empty cache)', result: `${median(interactive).toFixed(0)} ms`, note: 'Navigation Timing, in the page' });
    rows.push({ measure: 'sign-in form usable after navigation (median of 5, empty cache)', result: `${median(usable).toFixed(0)} ms`, note: 'measured from the test driver' });
  } finally {
    await browser.close();
    await t.close();
  }
  return rows;
}

async function portalFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await portalFiles(path)));
    else if (/\.(html|css|js)$/.test(entry.name)) files.push(path);
  }
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(formatTable('Officer portal', await runPortalBench()));
}
