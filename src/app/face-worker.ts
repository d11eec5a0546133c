import { serveJobs } from '../shared/worker-pool.ts';
import { analysePhoto } from './face-photo.ts';

// A worker thread of the face pool: loads the face model once, on its first photo, and analyses photos off the event loop.
serveJobs((job: { field: string; bytes: Uint8Array }) => analysePhoto(job.bytes, job.field));
