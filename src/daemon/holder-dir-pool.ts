import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { makeHolderDir } from './holder-files.js';

/** How many holder folders one fill makes, their FIFOs with one `mkfifo` for all. */
export const POOL_FILL = 32;

/** The pool's folder in the holders' folder; a daemon starting removes it with other leftovers. */
export const POOL_DIR = '.pool';

/** The FIFOs of a holder's folder, `ack` last: the holder takes a folder with `ack` as ready. */
const FIFOS = ['out', 'err', 'ack'] as const;

/**
 * Holder folders made ahead, with their FIFOs. A holder that makes its own FIFOs runs `mkfifo`
 * before it can report its app's pid: on the 2-core test machine an exec costs ~5 ms of CPU,
 * and under a start of many apps much more of waiting, one of five in every app's start (sh,
 * mkfifo, env, setsid, the app). One `mkfifo` for POOL_FILL folders takes it out of each
 * start and restart; the holder script makes the FIFOs itself only when a folder lacks them.
 *
 * A folder taken is renamed to `<id>-<random>` in the holders' folder, as makeHolderDir names
 * it. Folders of a failed fill are removed, and from then on every instance gets its folder
 * from makeHolderDir.
 */
export class HolderDirPool {
  private readonly ready: string[] = [];
  private filling: Promise<void> | null = null;
  /** A fill failed: every folder comes from makeHolderDir from then on. */
  private failed = false;

  constructor(
    private readonly holdersDir: string,
    private readonly mkfifo: string,
    private readonly fillSize = POOL_FILL,
  ) {}

  /** A fresh folder for instance `id`, with its FIFOs when the pool had one. */
  async take(id: number): Promise<string> {
    if (this.ready.length === 0) await this.fill();
    const made = this.ready.shift();
    // Half empty: the next fill runs while these are used.
    if (this.ready.length < this.fillSize / 2) void this.fill();
    if (made !== undefined) {
      const dir = join(this.holdersDir, `${id}-${basename(made)}`);
      try {
        await rename(made, dir);
        return dir;
      } catch {
        await removeAll([made]);
      }
    }
    return makeHolderDir(this.holdersDir, id);
  }

  /** How many folders wait in the pool. */
  size(): number {
    return this.ready.length;
  }

  private fill(): Promise<void> {
    if (this.failed) return Promise.resolve();
    this.filling ??= this.makeBatch().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  private async makeBatch(): Promise<void> {
    const pool = join(this.holdersDir, POOL_DIR);
    const made: string[] = [];
    try {
      await mkdir(pool, { recursive: true, mode: 0o700 });
      await Promise.all(
        Array.from({ length: this.fillSize }, async () => {
          made.push(await mkdtemp(join(pool, 'p')));
        }),
      );
      await runMkfifo(
        this.mkfifo,
        made.flatMap((dir) => FIFOS.map((fifo) => join(dir, fifo))),
      );
      this.ready.push(...made);
    } catch {
      // A full disk, a missing mkfifo: the holders make their FIFOs (or fail) as they would,
      // and this daemon does not try again.
      this.failed = true;
      await removeAll(made);
    }
  }
}

function runMkfifo(mkfifo: string, paths: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(mkfifo, ['-m', '600', ...paths], { cwd: '/', env: {} }, (error) => (error ? reject(error) : resolve()));
  });
}

async function removeAll(dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
}
