import { type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InstanceInfo } from '../../src/core/instance-info.js';
import { appCgroupsDirOf, ownCgroupDir } from '../../src/daemon/app-cgroup.js';
import { readAllProcStats } from '../../src/metrics/proc-stat.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TEND_BIN = join(REPO_ROOT, 'dist/bin/tend.js');
/** The `tend` command users run: the shell launcher, which takes `ping` and `jlist` the fast way. */
export const TEND_LAUNCHER = join(REPO_ROOT, 'dist/bin/tend');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/apps');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * One isolated tend world for a test: its own TEND_HOME in a temp folder, a CLI runner, and a
 * cleanup that kills the daemon (`tend kill`, then by pid) and every process carrying this
 * TEND_HOME in its environment — never by name.
 */
export class TendHarness {
  readonly home: string;

  constructor(prefix = 'tend-test-') {
    // Short base folder: the socket path must stay under 107 bytes.
    this.home = mkdtempSync(join(tmpdir(), prefix));
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, TEND_HOME: this.home, NO_COLOR: '1', ...extra };
  }

  /** Runs the `tend` command to completion. */
  run(
    args: string[],
    options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string } = {},
  ): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const stdin = options.input === undefined ? 'ignore' : 'pipe';
      const spawnOptions: SpawnOptions = {
        env: this.env(options.env),
        cwd: options.cwd ?? REPO_ROOT,
        stdio: [stdin, 'pipe', 'pipe'],
      };
      const child = spawn(TEND_LAUNCHER, args, spawnOptions);
      if (options.input !== undefined) {
        // A CLI that ends before reading its input (an error) closes the pipe: its exit says why.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input);
      }
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`tend ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms; stderr: ${stderr}`));
      }, options.timeoutMs ?? 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs the CLI and fails the test unless it exits 0. */
  async ok(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`tend ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  async jlist(): Promise<InstanceInfo[]> {
    return JSON.parse(await this.ok(['jlist'])) as InstanceInfo[];
  }

  /** Polls jlist until `predicate` holds, or fails with the last list seen. */
  async waitFor(predicate: (list: InstanceInfo[]) => boolean, what: string, timeoutMs = 20_000): Promise<InstanceInfo[]> {
    const deadline = Date.now() + timeoutMs;
    let last: InstanceInfo[] = [];
    while (Date.now() < deadline) {
      last = await this.jlist();
      if (predicate(last)) return last;
      await delay(100);
    }
    throw new Error(`timed out waiting for ${what}; last jlist: ${JSON.stringify(last)}`);
  }

  /** Waits until every instance of `name` is in `status`. */
  waitForStatus(name: string, status: InstanceInfo['status'], count = 1, timeoutMs?: number): Promise<InstanceInfo[]> {
    return this.waitFor(
      (list) => list.filter((i) => i.name === name && i.status === status).length === count,
      `${count} x ${name} ${status}`,
      timeoutMs,
    );
  }

  daemonPid(): number | null {
    try {
      return Number(readFileSync(join(this.home, 'daemon.pid'), 'utf8').trim());
    } catch {
      return null;
    }
  }

  /** Pids of every live process whose environment names this TEND_HOME (daemon, apps, hosts, children). */
  processesOfThisHome(): number[] {
    const marker = `TEND_HOME=${this.home}`;
    const pids: number[] = [];
    for (const stat of readAllProcStats()) {
      if (stat.pid === process.pid || stat.state === 'Z') continue;
      try {
        const environ = readFileSync(`/proc/${stat.pid}/environ`, 'latin1');
        if (environ.split('\0').includes(marker)) pids.push(stat.pid);
      } catch {
        // Gone or not ours.
      }
    }
    return pids;
  }

  /** Of processesOfThisHome, tend's own: daemons and their guardians (the shell that restarts a crashed daemon). */
  tendProcessesOfThisHome(): number[] {
    return this.processesWhoseCommandMatches(/tend-daemon|tend-guardian/);
  }

  /** Of processesOfThisHome, the holders of fork-mode apps (each app's parent shell). */
  holderProcessesOfThisHome(): number[] {
    return this.processesWhoseCommandMatches(/tend-holder/);
  }

  private processesWhoseCommandMatches(pattern: RegExp): number[] {
    return this.processesOfThisHome().filter((pid) => {
      try {
        return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
      } catch {
        return false;
      }
    });
  }

  /**
   * Ends everything this test started: `tend kill`, then SIGKILL by pid to anything left. The
   * daemon is found like the rest, by the TEND_HOME in its environment: the pid in daemon.pid
   * may belong to another process by now (pids wrap within minutes on a busy machine).
   */
  async cleanup(): Promise<void> {
    await this.run(['kill'], { timeoutMs: 20_000 }).catch(() => undefined);
    for (const pid of this.processesOfThisHome()) killQuietly(pid);
    removeEmptyCgroups(this.home);
    rmSync(this.home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** The cgroups a daemon of `home` made (app-cgroup.ts) and a SIGKILL or a daemonless kill left: removed once empty. */
function removeEmptyCgroups(home: string): void {
  const base = ownCgroupDir(readFileSync('/proc/self/mounts', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
  if (base === null) return;
  const dir = appCgroupsDirOf(base, home);
  const remove = (path: string): void => {
    try {
      rmdirSync(path);
    } catch {
      // Not empty (a process outlived the cleanup), or none made here.
    }
  };
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) remove(join(dir, entry.name));
  } catch {
    return;
  }
  remove(dir);
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check` returns a value (not undefined/false), polling every 50 ms. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value as Exclude<T, false | undefined | null>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}
