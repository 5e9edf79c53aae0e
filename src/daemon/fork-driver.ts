import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import type { DriverEvents, InstanceDriver, SpawnRequest, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';

/**
 * The start gate: a fixed script for /bin/sh that waits for one line on stdin, then replaces
 * itself with the app (same pid, same process group), stdin back on /dev/null. The app's
 * command and arguments are positional parameters ("$0" "$@"): the shell never parses them.
 * Without the release line (the daemon died first) the app is never run. A shell exports PWD
 * as it starts, so $1 and $2 say whether the app's environment had PWD and with what value,
 * and the gate puts it back that way: the app gets exactly the environment it was given.
 *
 * Why: spawning blocks the daemon until the new process has exec'd, and on a busy machine
 * that new process waits for a CPU behind the apps that are already booting. Starting 50 Node
 * apps on 2 cores took ~2.4 s of spawn calls, with single calls blocking the daemon for
 * 230 ms (commands, log pipes and timers all waiting). Gated, the 50 spawns take ~0.2 s: each
 * gate is a tiny sleeping shell, and the apps are released together once the batch is spawned.
 */
export const GATE_SCRIPT = 'read -r go || exit 1; if [ "$1" = 1 ]; then PWD=$2; export PWD; else unset PWD; fi; shift 2; exec "$0" "$@" </dev/null';
const GATE_SHELL = '/bin/sh';

/** Runs an instance as a direct child in its own process group, with an argument array. */
export class ForkDriver implements InstanceDriver {
  private readonly gated: ChildProcess[] = [];
  private releaseScheduled = false;

  async spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec, env } = request;
    const command = spec.interpreter ?? spec.script;
    const args = spec.interpreter ? [...spec.interpreterArgs, spec.script, ...spec.args] : [...spec.args];
    // Every Node app gets an IPC channel, as under child_process.fork: apps written for PM2
    // call process.send('ready') without wait_ready, and would crash without one. A message
    // nobody waits for is ignored; the channel is unref'd, so it keeps no app alive.
    const withIpc = spec.interpreter !== null && isNodeInterpreter(spec.interpreter);
    // Commands are absolute once resolved; anything else, or a system without /bin/sh (a
    // distroless container), is spawned directly. So is an app run as another user: the
    // daemon can only check the command with its own rights, and a command that user may not
    // run would fail inside the gate (exit 126, a crash loop) instead of as a clear error.
    const gate = isAbsolute(command) && spec.uid === null && spec.gid === null && hasGateShell();
    if (gate) checkExecutable(command, spec.cwd);
    const pwd = env.PWD;
    const gateArgs = ['-c', GATE_SCRIPT, command, pwd === undefined ? '0' : '1', pwd ?? '', ...args];
    const child = spawn(gate ? GATE_SHELL : command, gate ? gateArgs : args, {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: [gate ? 'pipe' : 'ignore', 'pipe', 'pipe', withIpc ? 'ipc' : 'ignore'],
      ...(spec.uid !== null ? { uid: spec.uid } : {}),
      ...(spec.gid !== null ? { gid: spec.gid } : {}),
    });
    await waitForSpawn(child, command, spec.cwd);
    if (gate) this.releaseSoon(child);
    const pid = child.pid as number;
    const startTimeTicks = readProcStat(pid)?.startTimeTicks ?? 0;
    child.on('exit', (code, signal) => events.exited(code, signal));
    child.on('message', (message) => {
      if (message === 'ready') events.readyReceived('ready');
      else events.messageReceived(message);
    });
    // A send to an app that already closed its channel must not take the daemon down.
    child.on('error', () => undefined);
    return new ForkedInstance(child, pid, startTimeTicks);
  }

  /**
   * Opens the gate of `child` once the current batch is spawned: every spawn of one command
   * (an ecosystem file, a resurrect) completes within one turn of the event loop.
   */
  private releaseSoon(child: ChildProcess): void {
    // A gate that died (stopped before release) must not turn its closed pipe into an error.
    child.stdin?.on('error', () => undefined);
    this.gated.push(child);
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setImmediate(() => {
      this.releaseScheduled = false;
      for (const gated of this.gated.splice(0)) gated.stdin?.end('go\n');
    });
  }
}

class ForkedInstance implements SpawnedInstance {
  readonly stdout;
  readonly stderr;

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly startTimeTicks: number,
  ) {
    this.stdout = child.stdout;
    this.stderr = child.stderr;
  }

  requestStop(signal: NodeJS.Signals, withMessage: boolean): void {
    if (withMessage && this.send('shutdown')) return;
    this.sendSignal(signal);
  }

  sendSignal(signal: NodeJS.Signals): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone: the exit event reports it.
    }
  }

  send(message: unknown): boolean {
    if (!this.child.connected) return false;
    this.child.send(message as object, (error) => error && undefined);
    return true;
  }
}

let gateShell: boolean | undefined;
function hasGateShell(): boolean {
  if (gateShell === undefined) {
    try {
      accessSync(GATE_SHELL, constants.X_OK);
      gateShell = true;
    } catch {
      gateShell = false;
    }
  }
  return gateShell;
}

/** The checks the kernel would make at exec, made before the gate so a failure stays a clear error. */
function checkExecutable(command: string, cwd: string): void {
  try {
    accessSync(command, constants.X_OK);
  } catch (error) {
    throw spawnError(error as NodeJS.ErrnoException, command, cwd);
  }
}

function spawnError(error: NodeJS.ErrnoException, command: string, cwd: string): TendError {
  const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'not executable (EACCES)' : error.message;
  const code = error.code === 'ENOENT' ? 'SCRIPT_NOT_FOUND' : 'INVALID_ARGUMENT';
  return new TendError(code, `cannot start ${command} in ${cwd}: ${why}`, { cause: error });
}

function waitForSpawn(child: ChildProcess, command: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      child.removeAllListeners('error');
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(error, command, cwd)));
  });
}

function isNodeInterpreter(interpreter: string): boolean {
  return interpreter === process.execPath || /^node(\d+)?(\.exe)?$/.test(basename(interpreter));
}
