/** A temporary folder with files, removed by the caller's after() hook. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  path: string;
  /** Writes a file (creating folders); returns its absolute path. */
  write(name: string, content: string | Uint8Array, mode?: number): string;
  remove(): void;
}

export function makeTempDir(prefix = 'tend-config-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, content, mode) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      if (mode !== undefined) chmodSync(file, mode);
      return file;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
