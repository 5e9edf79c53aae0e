import { closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old content or the new one:
 * a temporary file beside it, renamed over the target. `durable` (the default) also fsyncs
 * the file and its folder, so the new content survives a power loss too; without it the
 * write is still atomic for any process crash (the kernel holds the data), at no disk wait.
 * `content` may be a list of chunks, written with one writev (no joined copy).
 */
export function writeFileAtomic(path: string, content: string | readonly Buffer[], mode = 0o600, durable = true): void {
  const temp = `${path}.${process.pid}.tmp`;
  // 'wx' with O_NOFOLLOW: a leftover or planted temp file (or link) is never written through.
  rmSync(temp, { force: true });
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    try {
      writeAll(fd, content);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    // A full disk must not leave half-written temp files behind (they would fill it further).
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) syncFolder(dirname(path));
}

/** A write may write part of its data; the rest (or ENOSPC) follows in the next call. */
function writeAll(fd: number, content: string | readonly Buffer[]): void {
  let bytes: Buffer;
  if (typeof content === 'string') {
    bytes = Buffer.from(content, 'utf8');
  } else {
    const written = writevSync(fd, content as Buffer[]);
    const total = content.reduce((sum, chunk) => sum + chunk.length, 0);
    if (written === total) return;
    // Short (a full disk): the rest goes the slow way, which reports the error.
    bytes = Buffer.concat(content as Buffer[]).subarray(written);
  }
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
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
