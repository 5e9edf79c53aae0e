import { closeSync, constants, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT_CODE_FILE, type ExitStatus, decodeShellStatus, parseExitCodeFile, parseStatusFile } from './holder-script.js';

export { openOutputFifo } from '../cluster/output-fifo.js';

/** Where the holders' folders are. */
export function holdersDirOf(home: string): string {
  return join(home, 'holders');
}

/**
 * A fresh folder for one holder in TEND_HOME/holders (0700, like the home): the `out` and
 * `err` FIFOs of its app and the `status` file it writes when the app ends. The state file
 * names it with the holder's pid and start time, so a later daemon can find and read it.
 * Made off the event loop: on a busy disk or machine a synchronous mkdtemp held the daemon
 * ~1.5 ms per app during a 1,000-app start (`--cpu-prof`).
 */
export async function makeHolderDir(holdersDir: string, id: number): Promise<string> {
  await mkdir(holdersDir, { recursive: true, mode: 0o700 });
  return mkdtemp(join(holdersDir, `${id}-`));
}

/** The app's exit as its holder recorded it, or null when it did not (yet). */
export function readExitStatus(dir: string): ExitStatus | null {
  try {
    return parseStatusFile(readFileSync(join(dir, 'status'), 'utf8'), reportedExitCode(dir));
  } catch {
    return null;
  }
}

/** The app's exit from the status its holder printed, told apart from a signal by what the app reported. */
export function decodeHolderStatus(dir: string, status: number): ExitStatus {
  return decodeShellStatus(status, status > 128 ? reportedExitCode(dir) : null);
}

/** The code a Node app wrote as it exited (see EXIT_CODE_FILE), or null. */
function reportedExitCode(dir: string): number | null {
  try {
    return parseExitCodeFile(readFileSync(join(dir, EXIT_CODE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Lets a holder go once its app's pipes were read to their end: a line into its `ack` FIFO
 * ends it. Then its folder is removed. A holder that is gone already is not an error.
 */
export function releaseHolder(dir: string): void {
  try {
    const fd = openSync(join(dir, 'ack'), constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      writeSync(fd, 'done\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    // No reader (the holder is gone) or no FIFO (it never got that far).
  }
  // The holder may still be writing its status file as it exits: retry, and never let a
  // folder that could not be removed fail the stop or kill that released it.
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  } catch {
    // Left for the next start of this home; it holds no process.
  }
}
