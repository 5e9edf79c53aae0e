/**
 * Which files are ecosystem files. `tend start X` treats X as a config when this says so and
 * as a script otherwise, so the test is on the name, like PM2's, but anchored: `app.json`
 * data or `my.yaml` count, `ecosystem.es6.js` is a script.
 */
import { basename, join } from 'node:path';
import { isFile } from './find-executable.js';

export const DEFAULT_CONFIG_NAMES = [
  'ecosystem.config.js',
  'ecosystem.config.cjs',
  'ecosystem.config.mjs',
  'ecosystem.config.ts',
  'ecosystem.config.json',
  'ecosystem.config.yaml',
  'ecosystem.config.yml',
  'ecosystem.config.toml',
] as const;

const DATA_CONFIG = /\.(json|json5|ya?ml|toml)$/i;
// Code files are configs only with PM2's `.config.` infix; otherwise `tend start app.js` would
// never start a script.
const CODE_CONFIG = /\.config\.(js|cjs|mjs|ts|mts|cts)$/i;

export function isConfigFile(path: string): boolean {
  const name = basename(path);
  return DATA_CONFIG.test(name) || CODE_CONFIG.test(name);
}

/** The first ecosystem.config.* in `cwd`, in the order above, or null. */
export function findDefaultConfig(cwd: string): string | null {
  for (const name of DEFAULT_CONFIG_NAMES) {
    const path = join(cwd, name);
    if (isFile(path)) return path;
  }
  return null;
}

export type ConfigFormat = 'module' | 'json' | 'yaml' | 'toml';

export function configFormat(path: string): ConfigFormat {
  const name = basename(path).toLowerCase();
  if (/\.json5?$/.test(name)) return 'json';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name.endsWith('.toml')) return 'toml';
  return 'module';
}
