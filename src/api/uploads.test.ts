import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeWsq } from '../formats/wsq/index.ts';
import { MAX_FILE_BYTES } from '../infra/images/read-fingerprint-image.ts';
import { fixturePrint, multipart, useTestSystem } from '../testing/test-system.ts';
import { MAX_MULTIPART_BYTES } from './multipart.ts';
import { CAPTURE_QUEUE_BOUND } from '../app/capture-pool.ts';

/** Image uploads: limits enforced as the body arrives, and decoding that never holds up other requests. */
// The gateway admits more at once than the capture workers and their queue hold, so that the workers' own bound is what these tests meet.
const t = useTestSystem({}, { admission: { concurrent: 64, queued: { interactive: 64, bulk: 64 }, retryAfterSeconds: 2 } });
const MiB = 1024 * 1024;

/**
 * A multipart body produced as it is read: the given parts, where a part with `size` has that
 * many bytes generated on demand. `pulled` says how much of it the server has read.
 */
function streamedBody(parts: { name: string; size?: number; json?: unknown; file?: Uint8Array }[]) {
  const boundary = '----concordstream';
  const pieces: (Buffer | number)[] = [];
  for (const part of parts) {
    const isFile = part.size !== undefined || part.file !== undefined;
    const disposition = isFile ? `form-data; name="${part.name}"; filename="${part.name}.wsq"` : `form-data; name="${part.name}"`;
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${isFile ? 'application/octet-stream' : 'application/json'}\r\n\r\n`));
    pieces.push(part.size ?? Buffer.from(part.file ?? JSON.stringify(part.json)));
    pieces.push(Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const state = { pulled: 0 };
  let current = 0;
  let left = -1;
  const stream = new Readable({
    read() {
      while (current < pieces.length) {
        const piece = pieces[current];
        if (typeof piece !== 'number') {
          current++;
          state.pulled += piece.length;
          if (!this.push(piece)) return;
          continue;
        }
        if (left < 0) left = piece;
        if (left === 0) {
          current++;
          left = -1;
          continue;
        }
        const next = chunk.subarray(0, Math.min(chunk.length, left));
        left -= next.length;
        state.pulled += next.length;
        if (!this.push(next)) return;
      }
      this.push(null);
    },
  });
  return { stream, state, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function send(url: string, body: ReturnType<typeof streamedBody>, headers: Record<string, string> = {}, user = 'field') {
  const response = await t.app.inject({ method: 'POST', url, payload: body.stream, headers: { 'content-type': body.contentType, authorization: `Bearer ${t.tokens[user]}`, ...headers } });
  body.stream.destroy();
  return response;
}

describe('multipart limits, as the body arrives', () => {
  it('refuses a finger file larger than the image limit as soon as it passes it, without reading the rest', async () => {
    const body = streamedBody([{ name: 'finger_2', size: 400 * MiB }]);
    const response = await send('/v1/identify', body);
    expect([response.statusCode, response.json().error.code]).toEqual([413, 'IMAGE_TOO_LARGE']);
    expect(response.json().error.where).toMatchObject({ part: 'finger_2' });
    expect(body.state.pulled).toBeGreaterThan(MAX_FILE_BYTES);
    expect(body.state.pulled).toBeLessThan(MAX_FILE_BYTES + 2 * MiB);
  });

  it('refuses a body whose files together pass the total limit, without reading the rest', async () => {
    const each = MAX_FILE_BYTES - MiB;
    const parts = Array.from({ length: 10 }, (_, k) => ({ name: `finger_${k + 1}`, size: each }));
    const body = streamedBody(parts);
    const response = await send('/v1/identify', body);
    expect([response.statusCode, response.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(body.state.pulled).toBeLessThan(MAX_MULTIPART_BYTES + 2 * MiB);
    expect(body.state.pulled).toBeLessThan(10 * each);
  });

  it('refuses a body whose declared length passes the total limit before reading any of it', async () => {
    const body = streamedBody([{ name: 'finger_2', size: 40 * MiB }]);
    const response = await send('/v1/identify', body, { 'content-length': String(40 * MiB + 200) });
    expect([response.statusCode, response.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(body.state.pulled).toBeLessThan(2 * MiB);
  });

  it('refuses a repeated or unexpected part when its header arrives, before reading its data', async () => {
    const small = fixturePrint('101_1');
    for (const [url, parts, message] of [
      ['/v1/identify', [{ name: 'finger_2', file: small }, { name: 'finger_2', size: 40 * MiB }], 'sent twice'],
      // A photo goes with an enrollment, a face search or a rapid identification; a history by prints takes none.
      ['/v1/history?purpose=C', [{ name: 'finger_2', file: small }, { name: 'photo', size: 40 * MiB }], 'photo'],
      ['/v1/identify', [{ name: 'finger_11', size: 40 * MiB }], 'not a finger position'],
      ['/v1/minutiae', [{ name: 'image', file: small }, { name: 'probe', size: 40 * MiB }], 'single image'],
      ['/v1/history?purpose=C', [{ name: 'finger_2', file: small }, { name: 'request', json: {} }, { name: 'finger_7', size: 40 * MiB }], 'finger images only'],
    ] as const) {
      const body = streamedBody([...parts]);
      const response = await send(url, body, {}, url.startsWith('/v1/history') ? 'booking' : 'field');
      expect([response.statusCode, response.json().error.code], url).toEqual([400, 'BAD_REQUEST']);
      expect(response.json().error.message).toContain(message);
      expect(body.state.pulled).toBeLessThan(2 * MiB);
    }
  });
});

describe('decoding off the event loop', () => {
  it('keeps answering /health while a large (allowed) image is decoded and extracted', async () => {
    const print = await sharp(fixturePrint('101_1')).resize(2000, 2000).greyscale().raw().toBuffer();
    const wsq = encodeWsq({ width: 2000, height: 2000, pixels: new Uint8Array(print) }, { ppi: 500 });
    // How long the event loop is held at a stretch: decoding on it would hold it for most of the request.
    let last = performance.now();
    let longestHold = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestHold = Math.max(longestHold, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    let finished = false;
    const minutiae = t.post('/v1/minutiae', 'field', [{ name: 'image', file: wsq }]).then((response) => {
      finished = true;
      return { response, at: performance.now() - started };
    });
    const healthTimes: number[] = [];
    while (!finished) {
      const asked = performance.now();
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      healthTimes.push(performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(ticker);
    const done = await minutiae;
    expect(done.response.statusCode, done.response.body).toBe(200);
    expect(done.response.json().width).toBe(2000);
    expect(healthTimes.length).toBeGreaterThan(1);
    expect(Math.max(...healthTimes)).toBeLessThan(done.at / 2);
    expect(longestHold).toBeLessThan(done.at / 2);
  }, 120_000);

  it('refuses with 503 BUSY what the workers and their queue cannot take, and serves the rest', async () => {
    const workers = Math.max(1, availableParallelism());
    const requests = workers + CAPTURE_QUEUE_BOUND + 2;
    // Large enough that no job ends before the last request has been read and queued.
    const print = await sharp(fixturePrint('101_1')).resize(700, 700).greyscale().raw().toBuffer();
    const image = encodeWsq({ width: 700, height: 700, pixels: new Uint8Array(print) }, { ppi: 500 });
    const { body, contentType } = multipart([{ name: 'image', file: image }]);
    const responses = await Promise.all(
      Array.from({ length: requests }, () => t.app.inject({ method: 'POST', url: '/v1/minutiae', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.field}` } })),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(workers + CAPTURE_QUEUE_BOUND);
    const busy = responses.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].json().error.code).toBe('BUSY');
    expect(busy[0].headers['retry-after']).toBe('2');
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  }, 120_000);
});
