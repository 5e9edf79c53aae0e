import { type ChildProcess, spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { DriverEvents, InstanceDriver, SpawnRequest, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';

/** Runs an instance as a direct child in its own process group, with an argument array. */
export class ForkDriver implements InstanceDriver {
  async spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec, env } = request;
    const command = spec.interpreter ?? spec.script;
    const args = spec.interpreter ? [...spec.interpreterArgs, spec.script, ...spec.args] : [...spec.args];
    // An IPC channel costs a Node app ~2 MiB; it is opened only when tend needs it (`ready`,
    // `shutdown` messages), so an app runs as it would under plain node.
    const withIpc = spec.interpreter !== null && isNodeInterpreter(spec.interpreter) && (spec.waitReady || spec.shutdownWithMessage);
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', withIpc ? 'ipc' : 'ignore'],
      ...(spec.uid !== null ? { uid: spec.uid } : {}),
      ...(spec.gid !== null ? { gid: spec.gid } : {}),
    });
    await waitForSpawn(child, command, spec.cwd);
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

function waitForSpawn(child: ChildProcess, command: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      child.removeAllListeners('error');
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'not executable (EACCES)' : error.message;
      const code = error.code === 'ENOENT' ? 'SCRIPT_NOT_FOUND' : 'INVALID_ARGUMENT';
      reject(new TendError(code, `cannot start ${command} in ${cwd}: ${why}`, { cause: error }));
    });
  });
}

function isNodeInterpreter(interpreter: string): boolean {
  return interpreter === process.execPath || /^node(\d+)?(\.exe)?$/.test(basename(interpreter));
}
