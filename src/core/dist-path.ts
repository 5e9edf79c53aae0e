import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * Absolute path of a built file (e.g. `bin/tend-daemon.cjs`). From dist it sits beside this
 * module's folder; when this module runs from src (tests under tsx) it is in the repo's dist.
 */
export function distPath(relative: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, '..', relative);
  if (existsSync(beside) && !beside.endsWith('.ts')) return beside;
  return join(here, '..', '..', 'dist', relative);
}
