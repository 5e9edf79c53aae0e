import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old content or the new one:
 * a temporary file beside it, renamed over the target. `durable` (the default) also fsyncs
 * the file and its folder, so the new content survives a power loss too; without it the
 * write is still atomic for any process crash (the kernel holds the data), at no disk wait.
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600, durable = true): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  if (durable) syncFolder(dirname(path));
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  }
}

/** Reads and parses a JSON file as data; null when it does not exist. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as unknown;
}
