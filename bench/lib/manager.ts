import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPidsWithEnv, isAlive, isRunningProgram, killQuietly } from './proc.js';
import { nowMs, until } from './time.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(REPO_ROOT, 'bench/fixtures');
// Both run as a user's shell runs them: their installed commands (tend's shell launcher, PM2's
// node script), on the node running the bench (first on PATH).
const TEND_BIN = join(REPO_ROOT, 'dist/bin/tend');
const PM2_BIN = join(REPO_ROOT, 'node_modules/pm2/bin/pm2');

export type ManagerKind = 'tend' | 'pm2';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** What a bench needs of one process in either manager's list. */
export interface ListedApp {
  name: string;
  pid: number;
  status: string;
  restarts: number;
}

export interface StartOptions {
  instances?: number;
  env?: Record<string, string>;
  autorestart?: boolean;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * One isolated tend or PM2 world: its own home under /tmp (short, because both put a Unix
 * socket in it), a CLI runner, and a cleanup that ends everything that home started, by pid.
 */
export class Manager {
  readonly home: string;
  private readonly homeVar: string;

  constructor(readonly kind: ManagerKind) {
    this.home = mkdtempSync(kind === 'tend' ? '/tmp/bt-' : '/tmp/bp-');
    this.homeVar = kind === 'tend' ? 'TEND_HOME' : 'PM2_HOME';
  }

  get label(): string {
    return this.kind === 'tend' ? 'tend' : 'PM2';
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const path = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
    return { ...process.env, PATH: path, [this.homeVar]: this.home, NO_COLOR: '1', ...extra };
  }

  /** Runs one CLI command to completion and times it (spawn to exit, as a user's shell sees it). */
  run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const bin = this.kind === 'tend' ? TEND_BIN : PM2_BIN;
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const started = nowMs();
      const child = spawn(bin, args, { env: this.env(options.env), cwd: this.home, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${this.label} ${args.join(' ')} did not finish in ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, ms: nowMs() - started });
      });
    });
  }

  async ok(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`${this.label} ${args.join(' ')} exited ${result.code}: ${(result.stderr + result.stdout).slice(-600)}`);
    return result;
  }

  async list(): Promise<ListedApp[]> {
    const { stdout } = await this.ok(['jlist']);
    // PM2 may print notices before the JSON; both print one JSON array.
    const raw = JSON.parse(stdout.slice(stdout.indexOf('['))) as unknown[];
    return raw.map((entry) => this.toListedApp(entry));
  }

  private toListedApp(entry: unknown): ListedApp {
    const record = entry as { name: string; pid: number; status?: string; restarts?: number; pm2_env?: { status: string; restart_time?: number } };
    const tend = this.kind === 'tend';
    return {
      name: record.name,
      pid: record.pid,
      status: (tend ? record.status : record.pm2_env?.status) ?? 'unknown',
      restarts: (tend ? record.restarts : record.pm2_env?.restart_time) ?? 0,
    };
  }

  /** Polls the list until `count` processes are online (every one of them, none launching). */
  async waitOnline(count: number, timeoutMs = 60_000): Promise<ListedApp[]> {
    return until(
      async () => {
        const list = await this.list();
        const online = list.filter((app) => app.status === 'online' && app.pid > 0);
        return online.length === count && list.length === count ? list : undefined;
      },
      `${count} ${this.label} apps online`,
      timeoutMs,
      0,
    );
  }

  /**
   * Polls the list until `count` apps run their program again: the moment a manager has brought
   * them back. For PM2 that is `online`, which it reports once the process is spawned. tend says
   * `launching` until the app has survived min_uptime (1 s) or signalled ready, so for tend it
   * is a pid in the list (launching or online) whose process has left the start gate.
   */
  async waitRunning(count: number, timeoutMs = 60_000): Promise<ListedApp[]> {
    const running = (app: ListedApp): boolean =>
      app.pid > 0 && (this.kind === 'tend' ? (app.status === 'launching' || app.status === 'online') && isRunningProgram(app.pid) : app.status === 'online');
    return until(
      async () => {
        const list = await this.list();
        return list.length === count && list.every(running) ? list : undefined;
      },
      `${count} ${this.label} apps running`,
      timeoutMs,
      0,
    );
  }

  startArgs(script: string, name: string, options: StartOptions = {}): string[] {
    const args = ['start', join(FIXTURES, script), '--name', name];
    if (options.instances !== undefined) args.push('-i', String(options.instances));
    if (options.autorestart === false) args.push('--no-autorestart');
    return args;
  }

  /** Writes an ecosystem file with `count` copies of `script` named `<prefix><n>`; returns its path. */
  writeEcosystem(script: string, prefix: string, count: number, firstIndex = 0): string {
    const apps = Array.from({ length: count }, (_, k) => ({ name: `${prefix}${firstIndex + k}`, script: join(FIXTURES, script) }));
    const file = join(this.home, `${prefix}${firstIndex}-${count}.config.cjs`);
    writeFileSync(file, `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`);
    return file;
  }

  daemonPid(): number | null {
    try {
      const text = readFileSync(join(this.home, this.kind === 'tend' ? 'daemon.pid' : 'pm2.pid'), 'utf8').trim();
      return text === '' ? null : Number(text);
    } catch {
      return null;
    }
  }

  logFile(name: string): string {
    return join(this.home, 'logs', `${name}-out.log`);
  }

  /**
   * Ends everything this home started: the manager's own kill, then SIGKILL by pid to leftovers,
   * the daemon included, each found by the home in its environment (a pid file may name a pid
   * that another process has been given since).
   */
  async cleanup(): Promise<void> {
    await this.run(['kill'], { timeoutMs: 30_000 }).catch(() => undefined);
    const leftovers = findPidsWithEnv(this.homeVar, this.home);
    for (const pid of leftovers) killQuietly(pid);
    // A SIGKILLed daemon may still be writing into the home for a moment: wait for it to be gone.
    await until(() => (leftovers.every((pid) => !isAlive(pid)) ? true : undefined), 'leftovers gone', 10_000).catch(() => undefined);
    rmSync(this.home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** Runs `body` with a fresh manager of each kind in turn and always cleans up. */
export async function withManager<T>(kind: ManagerKind, body: (manager: Manager) => Promise<T>): Promise<T> {
  const manager = new Manager(kind);
  try {
    return await body(manager);
  } finally {
    await manager.cleanup();
  }
}
