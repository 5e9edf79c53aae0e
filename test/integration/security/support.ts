import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** The unprivileged user other users are simulated with (root runs the suite in CI). */
export const NOBODY = { uid: 65534, gid: 65534 };

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Skips `t` with a message naming why, unless the test runs as root. */
export function needsRoot(t: TestContext): boolean {
  if (isRoot()) return true;
  t.skip('needs root: another user is simulated by running a process as nobody (CI runs as root)');
  return false;
}

export interface Other {
  child: ChildProcess;
  /** Lines the process printed so far. */
  lines: string[];
  /** Resolves with the first printed line matching `pattern`. */
  waitLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  kill(): void;
}

/**
 * Runs `code` (a Node script) as another user: `nobody`, with an empty environment and `/` as
 * its folder, as a real attacker process would run.
 */
export function runAsOtherUser(code: string, args: string[] = []): Other {
  const child = spawn(process.execPath, ['-e', code, ...args], { ...NOBODY, cwd: '/', env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  const collect = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitLine(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = lines.find((l) => pattern.test(l));
          if (line === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got: ${lines.join(' | ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}

/** Open descriptors of a process. */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}
