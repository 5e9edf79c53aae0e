import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the cluster host script is. Compiled, it sits next to this module's folder
 * (dist/cluster -> dist/runtime). Run from source through tsx, the host still has to be the
 * compiled file (it is started by path with plain `node`), so fall back to the repo's dist.
 */
export function resolveHostPath(): string {
  const candidates = [
    new URL('../runtime/cluster-host.js', import.meta.url),
    new URL('../../dist/runtime/cluster-host.js', import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  // The first candidate names the expected place in the error the spawn reports.
  return fileURLToPath(candidates[0] ?? new URL('../runtime/cluster-host.js', import.meta.url));
}
