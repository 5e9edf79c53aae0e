/**
 * The file work that follows a rotation: gzip the rotated file, then prune old ones. It runs
 * off the hot path (the writer has already reopened its file and keeps appending), and every
 * failure here is contained: a file that cannot be compressed is kept as it is.
 */
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { rotatedFileName, selectFilesToPrune } from './rotation-policy.js';

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A rotated name for `path` not yet taken (plain or gzipped), stamped at `nowMs` or the next
 * free millisecond after `notBeforeMs`, so two rotations never collide and names keep sorting.
 */
export async function pickRotatedPath(path: string, nowMs: number, notBeforeMs: number): Promise<{ path: string; stampMs: number }> {
  let stampMs = Math.max(nowMs, notBeforeMs);
  for (;;) {
    const candidate = join(dirname(path), rotatedFileName(basename(path), stampMs));
    if (!(await exists(candidate)) && !(await exists(`${candidate}.gz`))) return { path: candidate, stampMs };
    stampMs += 1;
  }
}

/**
 * Gzips `path` to `path.gz` (via a temporary name, so a half-written archive never counts). The
 * rotated file is opened before the temporary exists: pruning may have deleted it meanwhile (a
 * burst of rotations runs ahead of their compressions), and a stream opened afterwards left a
 * `.gz.tmp` behind, created after the cleanup had already run.
 */
export async function compressFile(path: string): Promise<void> {
  const temporary = `${path}.gz.tmp`;
  // Loaded on the first compression: a daemon that never rotates with `compress` keeps zlib
  // out of its memory.
  const { createGzip } = await import('node:zlib');
  const source = await open(path, 'r');
  let target: FileHandle | null = null;
  try {
    const { mode } = await source.stat();
    target = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode & 0o777);
    // The streams close both handles as they end or fail.
    await pipeline(source.createReadStream(), createGzip(), target.createWriteStream());
    await rename(temporary, `${path}.gz`);
    // Pruned while it was read: the archive stands for it, and the next prune counts it.
    await unlink(path).catch(() => undefined);
  } catch (error) {
    if (target !== null) await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    await source.close().catch(() => undefined);
    await target?.close().catch(() => undefined);
  }
}

/** Deletes rotated files of `path` beyond the `retain` newest; returns what was deleted. */
export async function pruneRotated(path: string, retain: number): Promise<string[]> {
  const folder = dirname(path);
  const doomed = selectFilesToPrune(basename(path), await readdir(folder), retain);
  const deleted: string[] = [];
  for (const name of doomed) {
    try {
      await unlink(join(folder, name));
      deleted.push(name);
    } catch {
      // Already gone (an external cleaner) or not ours to delete: pruning is best effort.
    }
  }
  return deleted;
}

/** After a rotation: compress if asked, then prune. Never throws. */
export async function finishRotation(rotatedPath: string, livePath: string, compress: boolean, retain: number): Promise<void> {
  if (compress) await compressFile(rotatedPath).catch(() => undefined);
  await pruneRotated(livePath, retain).catch(() => undefined);
}
