/**
 * Log files are opened without following a symbolic link as their last component: a link
 * planted where a log file goes (a folder the app's user can write) would otherwise make a
 * daemon running as root append to, or `tend flush` empty, whatever file it points at.
 * Paths under /dev/ are the exception: `/dev/stdout` is a link by nature, and a device
 * there is the user's explicit choice.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

function noFollow(path: string): number {
  return path.startsWith('/dev/') ? 0 : constants.O_NOFOLLOW;
}

/** Opens `path` for appending (created 0600), refusing a link with ELOOP. */
export function openForAppend(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | noFollow(path), 0o600);
}

/** Empties `path` if it exists and is not a link; a missing file is nothing to empty. */
export async function truncateNoFollow(path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | noFollow(path));
  } catch {
    return;
  }
  try {
    await handle.truncate(0);
  } finally {
    await handle.close();
  }
}
