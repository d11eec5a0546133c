import { serveJobs } from '../shared/worker-pool.ts';
import { analysePhoto, analyseTransactionFace } from './face-photo.ts';
import type { FaceJob } from './face-pool.ts';

// A worker thread of the face pool: loads the face model once, on its first photo, and analyses photos off the event loop.
serveJobs((job: FaceJob) => ('transaction' in job ? analyseTransactionFace(job.transaction) : analysePhoto(job.bytes, job.field)));
