import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as ChildProcessModule from 'node:child_process';
import { isExecutableFile } from '../config/find-executable.js';
import { systemClock } from '../core/clock.js';
import { TendError } from '../core/errors.js';
import { assertPrivateHome, ensureHome } from '../core/home.js';
import type { TendPaths } from '../core/paths.js';
import { DEFAULT_DEADLINE_MS, IpcClient, type IpcClientOptions } from '../ipc/client.js';
import { GUARDIAN_SHELL, guardedCommand } from './daemon-guardian.js';
import { distPath } from './dist-path.js';
import { findDaemons } from './daemon-process.js';

const START_DEADLINE_MS = 15_000;
const RETRY_MS = 15;
/** How often a command waiting for another's daemon checks that it is still there. */
const RECHECK_MS = 250;

/**
 * Node flags of the daemon process (also written into the systemd unit).
 *
 * `--max-semi-space-size=1` (MiB): V8 grows its young generation when many objects survive,
 * which a start of 50 apps does, and then keeps it for a while: measured 3 s after such a start,
 * the daemon's RSS was 48.0-50.0 MiB without the cap and 48.1-48.3 with it, 3.8-4.0 MiB above
 * idle instead of up to 5.6. Young objects cost the daemon nothing to collect (a log flood
 * already runs a minor GC every MiB; its CPU measured 810 ms with and without the cap), and the
 * cap also shrinks V8's number-to-string cache from 256 to 32 KiB.
 *
 * `--no-short-builtin-calls`: on hosts with 4 GB or more, V8 copies its ~1.5 MB of built-in
 * code next to the JIT code so calls between them are shorter; the copy is resident on top of
 * the binary's own pages. Without it: idle 44.3 -> 43.6 MiB, 50 apps 48.2 -> 47.1 MiB, and the
 * same CPU for a 2M-line log flood (880-1000 ms either way, measured).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--no-short-builtin-calls'];

const requireBuiltin = createRequire(import.meta.url);

/** Node's child_process, loaded only to start a daemon: it was ~7 ms of every `tend ping`. */
function childProcess(): typeof ChildProcessModule {
  return requireBuiltin('node:child_process') as typeof ChildProcessModule;
}

/**
 * Connects to the daemon of `paths.home`, starting it detached when none answers.
 * `pipelineHello`: see IpcClientOptions.
 */
export async function connectOrStart(paths: TendPaths, autoStart: boolean, { pipelineHello = false }: Pick<IpcClientOptions, 'pipelineHello'> = {}): Promise<IpcClient> {
  // Before anything is sent (`start` sends the whole environment): a home or socket another
  // user could have made is refused. Node does not give the peer's uid of a Unix socket, so the
  // socket file's owner and mode, in a folder only we can write, stand for it.
  assertPrivateHome(paths);
  const options: IpcClientOptions = { deadlineMs: deadlineFromEnv(process.env), pipelineHello };
  try {
    return await IpcClient.connect(paths.socket, options);
  } catch (error) {
    if (!isNoDaemon(error)) throw error;
    if (!autoStart) throw new TendError('DAEMON_UNREACHABLE', `no tend daemon is running for ${paths.home}`, { cause: error });
  }
  ensureHome(paths);
  // A daemon process of this home that does not answer yet is starting (another command's), or
  // is about to bind its socket again (TEND_HOME was deleted under it, lock included): wait for
  // it rather than start a second one.
  let exited = findDaemons(paths.home).length > 0 ? null : launchDaemon(paths);
  let checkedAt = systemClock.monotonicMs();
  const deadline = systemClock.monotonicMs() + START_DEADLINE_MS;
  for (;;) {
    try {
      return await IpcClient.connect(paths.socket, options);
    } catch (error) {
      if (!isNoDaemon(error)) throw error;
      // A daemon that lost the race to another one exits 0; keep waiting for the winner.
      const code = exited?.code ?? null;
      if (code !== null && code !== 0) throw startFailed(paths, `it exited with code ${code}`);
      if (systemClock.monotonicMs() > deadline) throw startFailed(paths, `its socket did not answer within ${START_DEADLINE_MS} ms`);
      if (exited === null && systemClock.monotonicMs() - checkedAt > RECHECK_MS) {
        checkedAt = systemClock.monotonicMs();
        if (findDaemons(paths.home).length === 0) exited = launchDaemon(paths);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/** `TEND_DAEMON_DEADLINE_MS`: how long the daemon may stay silent before a command gives up. */
export function deadlineFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.TEND_DAEMON_DEADLINE_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_DEADLINE_MS;
}

function launchDaemon(paths: TendPaths): { code: number | null } {
  const state: { code: number | null } = { code: null };
  const out = openSync(paths.daemonOut, 'a', 0o600);
  try {
    // Under its guardian where there is a /bin/sh; a start-up failure still ends the guardian
    // with the daemon's status, which is what `exited` below reports.
    const daemon = daemonArgs();
    const { command, args } = isExecutableFile(GUARDIAN_SHELL) ? guardedCommand([process.execPath, ...daemon]) : { command: process.execPath, args: daemon };
    const child = childProcess().spawn(command, args, {
      detached: true,
      stdio: ['ignore', out, out],
      env: daemonEnv(process.env, paths.home),
    });
    child.on('exit', (code) => {
      state.code = code ?? 1;
    });
    child.unref();
  } finally {
    closeSync(out);
  }
  return state;
}

function isNoDaemon(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

function startFailed(paths: TendPaths, why: string): TendError {
  let detail: string | null = null;
  try {
    detail = startFailureDetail(readFileSync(paths.daemonOut, 'utf8'));
  } catch {
    // No output file: nothing more to say.
  }
  return new TendError('DAEMON_START_FAILED', `the tend daemon for ${paths.home} did not start (${why})${detail === null ? '' : `: ${detail}`}`);
}

/**
 * The line of the daemon's output that says why it stopped: its last line that is not indented
 * (a stack frame, the properties Node prints after an error), not a closing brace and not the
 * `Node.js vX` line Node ends an uncaught exception with: the `Error: ...` line of a crash, or
 * the message of an orderly failure.
 */
export function startFailureDetail(output: string): string | null {
  const lines = output.split('\n').map((line) => line.trimEnd());
  for (let n = lines.length - 1; n >= 0; n -= 1) {
    const line = lines[n] as string;
    if (line !== '' && !/^\s|^\}/.test(line) && !/^Node\.js v\d/.test(line)) return line;
  }
  return null;
}

/**
 * The daemon's own environment: the caller's, without NODE_EXTRA_CA_CERTS. Node reads and
 * parses that certificate file as it starts (measured here: `node -e 0` 134 ms with the system
 * bundle, 37 ms without), and the daemon makes no TLS connection. Apps never inherit the
 * daemon's environment (each gets the snapshot taken by the command that started it), so
 * they keep the variable.
 */
export function daemonEnv(callerEnv: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...env } = callerEnv;
  return { ...env, TEND_HOME: home };
}

/** Node's arguments that run the daemon, plus `extra` ones for the daemon itself. */
function daemonArgs(...extra: string[]): string[] {
  return [...DAEMON_NODE_FLAGS, distPath('bin/tend-daemon.cjs'), ...extra];
}

/**
 * Runs the daemon's `--end-leftovers` mode: ends the processes a crashed daemon left (as a new
 * daemon would) without starting anything, and empties the state file. Resolves how many
 * processes were ended, or null when a daemon runs for this home after all.
 */
export function endLeftovers(paths: TendPaths): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(process.execPath, daemonArgs('--end-leftovers'), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: daemonEnv(process.env, paths.home),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new TendError('INTERNAL', `could not end the processes left in ${paths.home}: ${err.trim() || `exit ${code}`}`));
        return;
      }
      try {
        resolve((JSON.parse(out) as { ended: number | null }).ended);
      } catch {
        reject(new TendError('INTERNAL', `could not end the processes left in ${paths.home}: unexpected output ${JSON.stringify(out.slice(0, 200))}`));
      }
    });
  });
}
