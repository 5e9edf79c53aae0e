import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/apps/', import.meta.url));

export interface RunningFixture {
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line starting with "ready". */
  ready: Promise<string>;
}

/** Starts a fixture app with node; the caller ends it with `killPids` in a finally/after. */
export function startFixture(name: string, env: Record<string, string> = {}): RunningFixture {
  const child = spawn(process.execPath, [`${FIXTURES}${name}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (child.pid === undefined) throw new Error(`could not start fixture ${name}`);
  const ready = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith('ready'));
      if (line !== undefined) resolve(line);
    });
    child.once('exit', (code, signal) => reject(new Error(`fixture ${name} exited (${code ?? signal}) before ready`)));
  });
  return { child, pid: child.pid, ready };
}

/** SIGKILLs each pid, ignoring the ones already gone. */
export function killPids(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already exited.
    }
  }
}

/** Polls `check` until it returns a value other than undefined, or fails at the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined, deadlineMs = 15_000, pollMs = 50): Promise<T> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
