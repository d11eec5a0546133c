import { readFileSync } from 'node:fs';

/** This code's release (package.json), as replicas report it to one another. */
export const RELEASE: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
