import { readFileSync } from 'node:fs';

/** tend's version, from its own package.json (two folders up from src/daemon or dist/daemon). */
export const TEND_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
