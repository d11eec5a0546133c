import { serveJobs } from '../shared/worker-pool.ts';
import { runCaptureJob } from './capture-jobs.ts';

// A worker thread of the capture pool: decodes and extracts uploaded captures off the event loop.
serveJobs(runCaptureJob);
