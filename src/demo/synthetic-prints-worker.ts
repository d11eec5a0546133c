import { parentPort } from 'node:worker_threads';
import { encodePng } from '../infra/images/encode-png.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { renderImpression, subjectFinger } from '../biometrics/synthetic/index.ts';
import { mixSeed } from '../biometrics/synthetic/random.ts';
import { toFingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import type { PrintRequest, PrintResult } from './synthetic-prints.ts';

parentPort!.on('message', async (request: PrintRequest) => {
  const masters = request.positions.map((position) => ({ position, master: subjectFinger(request.subjectSeed, position) }));
  const result: PrintResult = { subjectSeed: request.subjectSeed, impressions: [] };
  for (const impression of request.impressions) {
    const fingers = [];
    const pngs = [];
    for (const { position, master } of masters) {
      const image = renderImpression(master, mixSeed(request.subjectSeed, position, impression));
      fingers.push(toFingerPayload(position, extractTemplate(image)));
      if (request.png) {
        pngs.push({ position, png: new Uint8Array(await encodePng(image)) });
      }
    }
    result.impressions.push({ fingers, pngs });
  }
  parentPort!.postMessage(result);
});
