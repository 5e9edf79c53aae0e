import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a file of src/runtime is once compiled: next to this module's folder (dist/cluster ->
 * dist/runtime). Run from source through tsx, it still has to be the compiled file (it is
 * started or preloaded by path with plain `node`), so fall back to the repo's dist.
 */
export function resolveRuntimePath(file: string): string {
  const candidates = [new URL(`../runtime/${file}`, import.meta.url), new URL(`../../dist/runtime/${file}`, import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  // The first candidate names the expected place in the error the spawn reports.
  return fileURLToPath(candidates[0] as URL);
}

/** The cluster host script. */
export function resolveHostPath(): string {
  return resolveRuntimePath('cluster-host.js');
}
