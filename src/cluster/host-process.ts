import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { AppSpec } from '../core/app-spec.js';
import type { DriverEvents, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';
import { ClusterWorker, type WorkerPipes } from './cluster-worker.js';
import { isHostToDaemon, type DaemonToHost, type HostSetupMessage, type HostToDaemon } from './host-protocol.js';

/** How long after the host's exit its pipes may stay open before it is declared gone. */
const HOST_CLOSE_BOUND_MS = 500;

interface PendingFork {
  events: DriverEvents;
  /** Output pipes handed over before `forked`. */
  pipes: WorkerPipes;
  resolve(instance: SpawnedInstance): void;
  reject(error: Error): void;
}

/**
 * One app's cluster host as the daemon sees it: the child process, the workers it runs (by
 * key), and forks waiting for their pid. If the host dies, every worker it ran is reported
 * exited with the host's signal, and the group is killed so no worker outlives it.
 */
export class HostProcess {
  readonly pid: number;
  readonly startTimeTicks: number;
  readonly exited: Promise<void>;
  readonly #child: ChildProcess;
  readonly #workers = new Map<number, ClusterWorker>();
  readonly #pending = new Map<number, PendingFork>();
  #isAlive = true;
  #stderrTail = '';
  #setupKey = '';

  constructor(hostPath: string, spec: AppSpec, env: Record<string, string>, onGone: () => void) {
    this.#child = spawn(process.execPath, [hostPath], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Its own process group: the group is the host plus its workers, killed as one.
      detached: true,
      env,
    });
    this.pid = this.#child.pid ?? 0;
    this.startTimeTicks = this.pid === 0 ? 0 : (readProcStat(this.pid)?.startTimeTicks ?? 0);
    this.#child.stdout?.resume();
    // The host only writes to stderr when it crashes; keep the end of it for the error.
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    this.#child.on('message', (message: unknown, handle: unknown) => {
      if (isHostToDaemon(message)) this.#route(message, handle);
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('error', (error) => this.#die(null, error.message, resolve, onGone));
      // 'close' comes after the last IPC message (the workers' final exits) was delivered;
      // 'exit' may come before, so it only arms a bound in case something holds a pipe.
      this.#child.on('close', (_code, signal) => this.#die(signal, null, resolve, onGone));
      this.#child.on('exit', (_code, signal) => {
        setTimeout(() => this.#die(signal, null, resolve, onGone), HOST_CLOSE_BOUND_MS).unref();
      });
    });
    this.applySpec(spec);
  }

  /**
   * Sets the host up for `spec`, again when the spec changed since (restart --update-env or a
   * config given again may change node_args, args, cwd or the script): the host runs
   * setupPrimary once per setup message, and later forks would otherwise keep the old settings.
   * Running workers keep theirs; the channel is ordered, so the next fork sees the new ones.
   */
  applySpec(spec: AppSpec): void {
    const message: HostSetupMessage = { t: 'setup', script: spec.script, args: spec.args, execArgv: spec.interpreterArgs, cwd: spec.cwd, uid: spec.uid, gid: spec.gid };
    const key = JSON.stringify(message);
    if (key === this.#setupKey) return;
    if (this.send(message)) this.#setupKey = key;
  }

  get isAlive(): boolean {
    return this.#isAlive;
  }

  get liveWorkerCount(): number {
    return [...this.#workers.values()].filter((w) => !w.hasExited).length + this.#pending.size;
  }

  send(message: DaemonToHost): boolean {
    if (!this.#isAlive || !this.#child.connected) return false;
    try {
      // A false return only means queued behind a backlog; the callback absorbs late errors.
      this.#child.send(message, undefined, {}, () => undefined);
      return true;
    } catch {
      return false;
    }
  }

  fork(key: number, env: Record<string, string>, events: DriverEvents): Promise<SpawnedInstance> {
    return new Promise((resolve, reject) => {
      if (!this.send({ t: 'fork', key, env })) {
        reject(new TendError('INTERNAL', `cluster host ${this.pid} is not reachable`));
        return;
      }
      this.#pending.set(key, { events, pipes: { stdout: null, stderr: null }, resolve, reject });
    });
  }

  /** Kills the host and its workers (same process group). */
  killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Group already empty.
    }
  }

  #route(message: HostToDaemon, handle: unknown): void {
    const pending = this.#pending.get(message.key);
    if (message.t === 'outputPipe') {
      const pipe = handle as Readable | undefined;
      if (pending === undefined || pipe === undefined) {
        pipe?.destroy();
        return;
      }
      // A read error on a worker pipe only means no more output from it.
      pipe.on('error', () => undefined);
      pending.pipes[message.stream === 'out' ? 'stdout' : 'stderr'] = pipe;
      return;
    }
    if (pending !== undefined) {
      this.#pending.delete(message.key);
      if (message.t === 'forked') {
        const startTimeTicks = readProcStat(message.pid)?.startTimeTicks ?? 0;
        const worker = new ClusterWorker(message.key, message.pid, startTimeTicks, this, pending.events, pending.pipes);
        this.#workers.set(message.key, worker);
        pending.resolve(worker);
      } else {
        for (const pipe of [pending.pipes.stdout, pending.pipes.stderr]) pipe?.destroy();
        const reason = message.t === 'forkFailed' ? message.error : `unexpected ${message.t}`;
        pending.reject(new TendError('INTERNAL', `cluster host ${this.pid} could not fork a worker: ${reason}`));
      }
      return;
    }
    const worker = this.#workers.get(message.key);
    if (worker === undefined) return;
    worker.receive(message);
    // Nothing more comes from the host about it; its pipes are read until they end.
    if (worker.hasExited) this.#workers.delete(message.key);
  }

  #die(signal: NodeJS.Signals | null, spawnError: string | null, resolve: () => void, onGone: () => void): void {
    if (!this.#isAlive) return;
    this.#isAlive = false;
    const hadWorkers = this.liveWorkerCount > 0;
    if (hadWorkers && this.pid !== 0) this.killGroup();
    const detail = spawnError ?? (this.#stderrTail.trim().split('\n').pop() || `exited (${signal ?? 'no signal'})`);
    for (const pending of this.#pending.values()) {
      for (const pipe of [pending.pipes.stdout, pending.pipes.stderr]) pipe?.destroy();
      pending.reject(new TendError('INTERNAL', `cluster host ${this.pid} for the app failed: ${detail}`));
    }
    this.#pending.clear();
    // Their pipes end as the group dies; the lines still in them are read first.
    for (const worker of this.#workers.values()) worker.markExited(null, signal);
    this.#workers.clear();
    onGone();
    resolve();
  }
}
