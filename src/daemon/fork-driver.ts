import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import type { DriverEvents, InstanceDriver, SpawnRequest, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';
import { readyFdOf } from './instance-env.js';

/** systemd's LISTEN_PID is the app's own pid: the shell's, since it execs the app in place. */
const LISTEN_PID_STEP = 'if [ -n "$LISTEN_FDS" ]; then LISTEN_PID=$$; export LISTEN_PID; fi; ';
/** For an app that inherits sockets but cannot be gated (run as another user): only LISTEN_PID. */
const LISTEN_PID_SCRIPT = `${LISTEN_PID_STEP}exec "$0" "$@"`;

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
export const GATE_SCRIPT =
  'read -r go || exit 1; if [ "$1" = 1 ]; then PWD=$2; export PWD; else unset PWD; fi; shift 2; ' + LISTEN_PID_STEP + 'exec "$0" "$@" </dev/null';
const GATE_SHELL = '/bin/sh';

/** Runs an instance as a direct child in its own process group, with an argument array. */
export class ForkDriver implements InstanceDriver {
  private readonly gated: ChildProcess[] = [];
  private releaseScheduled = false;

  async spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec, env } = request;
    const command = spec.interpreter ?? spec.script;
    const args = spec.interpreter ? [...spec.interpreterArgs, spec.script, ...spec.args] : [...spec.args];
    // An IPC channel costs a Node app ~2 MiB; it is opened only when tend needs it (`ready`,
    // `shutdown` messages), so an app runs as it would under plain node.
    const withIpc = spec.interpreter !== null && isNodeInterpreter(spec.interpreter) && (spec.waitReady || spec.shutdownWithMessage);
    // Commands are absolute once resolved; anything else, or a system without /bin/sh (a
    // distroless container), is spawned directly. So is an app run as another user: the
    // daemon can only check the command with its own rights, and a command that user may not
    // run would fail inside the gate (exit 126, a crash loop) instead of as a clear error.
    const gate = isAbsolute(command) && spec.uid === null && spec.gid === null && hasGateShell();
    if (gate) checkExecutable(command, spec.cwd);
    const pwd = env.PWD;
    const listenFds = request.listenFds ?? [];
    const [file, argv] = gate
      ? [GATE_SHELL, ['-c', GATE_SCRIPT, command, pwd === undefined ? '0' : '1', pwd ?? '', ...args]]
      : listenFds.length > 0 && hasGateShell()
        ? [GATE_SHELL, ['-c', LISTEN_PID_SCRIPT, command, ...args]]
        : [command, args];
    // fd 3 onwards: the inherited sockets (LISTEN_FDS), then READY_FD, then Node's IPC channel.
    const readyFd = spec.readyProtocol === 'fd' ? readyFdOf(spec) : null;
    const child = spawn(file, argv, {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: [gate ? 'pipe' : 'ignore', 'pipe', 'pipe', ...listenFds, ...(readyFd !== null ? ['pipe' as const] : []), withIpc ? 'ipc' : 'ignore'],
      ...(spec.uid !== null ? { uid: spec.uid } : {}),
      ...(spec.gid !== null ? { gid: spec.gid } : {}),
    });
    await waitForSpawn(child, command, spec.cwd);
    if (gate) this.releaseSoon(child);
    const pid = child.pid as number;
    const startTimeTicks = readProcStat(pid)?.startTimeTicks ?? 0;
    child.on('exit', (code, signal) => events.exited(code, signal));
    if (readyFd !== null) watchReadyFd(child, readyFd, events);
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

/** s6's readiness notification: the app writes a newline to READY_FD once it is ready. */
function watchReadyFd(child: ChildProcess, fd: number, events: DriverEvents): void {
  const stream = child.stdio[fd] as NodeJS.ReadableStream | null | undefined;
  if (!stream) return;
  const onData = (chunk: Buffer): void => {
    if (!chunk.includes(0x0a)) return;
    stream.removeListener('data', onData);
    events.readyReceived('fd');
    stream.resume();
  };
  stream.on('data', onData);
  stream.on('error', () => undefined);
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
  // spawn says ENOENT for a missing cwd as for a missing command: name the one that is missing.
  if (error.code === 'ENOENT' && !existsSync(cwd)) {
    return new TendError('SCRIPT_NOT_FOUND', `cannot start ${command}: its cwd ${cwd} does not exist`, { cause: error });
  }
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
