import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Workers' stdout and stderr as FIFOs in TEND_HOME (one folder per worker), when the daemon
 * asks for them: the host keeps each read end open without reading it, so a worker never gets
 * EPIPE while no daemon runs and its lines wait in the pipe (blocking it once full); a daemon,
 * this one or the next, opens the FIFOs by path and reads them. The host is to its workers what
 * a fork-mode app's holder is to the app.
 */
export class WorkerFifos {
  readonly #held = new Map<number, { dir: string; fds: number[] }>();

  constructor(
    private readonly holdersDir: string,
    private readonly mkfifo: string,
  ) {}

  /** Makes the worker's FIFOs; returns their folder and the write ends to give the worker. */
  async create(key: number): Promise<{ dir: string; out: number; err: number }> {
    const dir = mkdtempSync(join(this.holdersDir, `w${key}-`));
    const paths = [join(dir, 'out'), join(dir, 'err')];
    await new Promise<void>((resolve, reject) => execFile(this.mkfifo, ['-m', '600', ...paths], (error) => (error ? reject(error) : resolve())));
    // The read ends first, non-blocking: then opening the write ends does not wait.
    const fds = paths.map((path) => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    const [out, err] = paths.map((path) => openSync(path, constants.O_WRONLY));
    this.#held.set(key, { dir, fds });
    return { dir, out: out as number, err: err as number };
  }

  /** The daemon read them to their end (or the worker never started): close and remove. */
  release(key: number): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    for (const fd of held.fds) closeSync(fd);
    try {
      rmSync(held.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    } catch {
      // A folder that could not be removed holds no process; the host goes on serving.
    }
  }

  dirOf(key: number): string | null {
    return this.#held.get(key)?.dir ?? null;
  }
}
