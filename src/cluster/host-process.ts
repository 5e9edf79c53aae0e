import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { AppSpec } from '../core/app-spec.js';
import type { DriverEvents, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { readProcStat } from '../metrics/proc-stat.js';
import { ClusterWorker, type WorkerPipes } from './cluster-worker.js';
import { isHostToDaemon, type DaemonToHost, type HeldWorker, type HostSetupMessage, type HostToDaemon } from './host-protocol.js';
import { connectToHost } from './host-socket.js';
import { openOutputFifo, removeFifoDir, whenClosed } from './output-fifo.js';

/** How long after the host's exit its pipes may stay open before it is declared gone. */
const HOST_CLOSE_BOUND_MS = 500;

interface PendingFork {
  events: DriverEvents;
  /** Output pipes (or the FIFO folder) handed over before `forked`. */
  pipes: WorkerPipes;
  fifoDir: string | null;
  resolve(instance: SpawnedInstance): void;
  reject(error: Error): void;
}

/** What the state file keeps of a host so that a later daemon can take it over. */
export interface HostRecord {
  app: string;
  pid: number;
  startTimeTicks: number;
  /** Its control socket, when its workers' output goes through FIFOs. */
  socket: string | null;
}

/**
 * One app's cluster host as the daemon sees it: the host process (spawned by this daemon, or
 * taken over from a previous one through its control socket), the workers it runs (by key), and
 * forks waiting for their pid. If the host dies, every worker it ran is reported exited with the
 * host's signal, and the group is killed so no worker outlives it.
 */
export class HostProcess {
  readonly exited: Promise<void>;
  readonly #workers = new Map<number, ClusterWorker>();
  readonly #pending = new Map<number, PendingFork>();
  /** Workers a previous daemon started, by pid, until adopted (taken-over hosts only). */
  readonly #held = new Map<number, HeldWorker>();
  #send: (message: DaemonToHost) => boolean = () => false;
  #resolveExited: () => void = () => undefined;
  #isAlive = true;
  #stderrTail = '';
  #setupKey = '';

  private constructor(
    readonly pid: number,
    readonly startTimeTicks: number,
    readonly socket: string | null,
    private readonly onGone: () => void,
  ) {
    this.exited = new Promise((resolve) => (this.#resolveExited = resolve));
  }

  /** Starts a host; with `socket`, its workers' output goes through FIFOs and it listens there. */
  static spawn(hostPath: string, spec: AppSpec, env: Record<string, string>, socket: string | null, onGone: () => void): HostProcess {
    const child = spawn(process.execPath, [hostPath], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Its own process group: the group is the host plus its workers, killed as one.
      detached: true,
      env,
    });
    const pid = child.pid ?? 0;
    const host = new HostProcess(pid, pid === 0 ? 0 : (readProcStat(pid)?.startTimeTicks ?? 0), socket, onGone);
    host.#useChild(child);
    host.applySpec(spec);
    return host;
  }

  /**
   * Takes over a host a previous daemon left (recovery checked its pid, start time and owner):
   * connects to its control socket and learns the workers it holds. Null when it does not answer.
   */
  static async adopt(record: HostRecord, onGone: () => void): Promise<HostProcess | null> {
    if (record.socket === null) return null;
    const connection = await connectToHost(record.socket);
    if (connection === null) return null;
    const host = new HostProcess(record.pid, record.startTimeTicks, record.socket, onGone);
    for (const worker of connection.workers) host.#held.set(worker.pid, worker);
    host.#useSocket(connection.socket);
    connection.routeTo((message) => host.#route(message, undefined));
    return host;
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

  /** The largest worker key the host already holds (new keys must not collide with it). */
  get maxHeldKey(): number {
    return Math.max(0, ...[...this.#held.values()].map((w) => w.key));
  }

  get liveWorkerCount(): number {
    return [...this.#workers.values()].filter((w) => !w.hasExited).length + this.#pending.size;
  }

  send(message: DaemonToHost): boolean {
    if (!this.#isAlive) return false;
    return this.#send(message);
  }

  fork(key: number, env: Record<string, string>, events: DriverEvents): Promise<SpawnedInstance> {
    return new Promise((resolve, reject) => {
      if (!this.send({ t: 'fork', key, env })) {
        reject(new TendError('INTERNAL', `cluster host ${this.pid} is not reachable`));
        return;
      }
      this.#pending.set(key, { events, pipes: { stdout: null, stderr: null }, fifoDir: null, resolve, reject });
    });
  }

  /** The worker `pid` a previous daemon ran on this host, attached to `events`; null when the host does not hold it. */
  adoptWorker(pid: number, startTimeTicks: number, events: DriverEvents): SpawnedInstance | null {
    const held = this.#held.get(pid);
    if (held === undefined) return null;
    this.#held.delete(pid);
    const worker = this.#addWorker(held.key, pid, startTimeTicks, events, held.dir);
    const exit = held.exit;
    // Ended while no daemon was connected: reported once the instance took it.
    if (exit !== null) setImmediate(() => worker.markExited(exit.code, exit.signal));
    return worker;
  }

  /**
   * Ends the workers this host still runs that no saved instance took: a previous daemon forked
   * them (a reload's replacement, a scale-up) and died before its state file named them. They
   * drain like a stopped worker and are SIGKILLed after `graceMs`. Returns how many it ends.
   */
  endUnadoptedWorkers(graceMs: number): number {
    const strays = [...this.#held.values()].filter((worker) => worker.exit === null);
    this.#held.clear();
    for (const { key } of strays) this.send({ t: 'stop', key, signal: 'SIGTERM', withMessage: false });
    if (strays.length > 0) setTimeout(() => strays.forEach(({ key }) => this.send({ t: 'signal', key, signal: 'SIGKILL' })), graceMs).unref();
    return strays.length;
  }

  /** Kills the host and its workers (same process group). */
  killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Group already empty.
    }
  }

  #useChild(child: ChildProcess): void {
    this.#send = (message) => {
      if (!child.connected) return false;
      try {
        // A false return only means queued behind a backlog; the callback absorbs late errors.
        child.send(message, undefined, {}, () => undefined);
        return true;
      } catch {
        return false;
      }
    };
    child.stdout?.resume();
    // The host only writes to stderr when it crashes; keep the end of it for the error.
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (message: unknown, handle: unknown) => {
      if (isHostToDaemon(message)) this.#route(message, handle);
    });
    child.on('error', (error) => this.#die(null, error.message));
    // 'close' comes after the last IPC message (the workers' final exits) was delivered;
    // 'exit' may come before, so it only arms a bound in case something holds a pipe.
    child.on('close', (_code, signal) => this.#die(signal, null));
    child.on('exit', (_code, signal) => {
      setTimeout(() => this.#die(signal, null), HOST_CLOSE_BOUND_MS).unref();
    });
  }

  #useSocket(socket: Socket): void {
    this.#send = (message) => {
      if (socket.destroyed) return false;
      socket.write(`${JSON.stringify(message)}\n`);
      return true;
    };
    socket.on('error', () => undefined);
    // The host's end closes when it exits.
    socket.on('close', () => this.#die(null, null));
  }

  #route(message: HostToDaemon, handle: unknown): void {
    const pending = this.#pending.get(message.key);
    if (message.t === 'outputPipe' || message.t === 'outputFifo') {
      if (pending !== undefined) this.#takeOutput(pending, message, handle);
      else (handle as Readable | undefined)?.destroy();
      return;
    }
    if (pending !== undefined) {
      this.#pending.delete(message.key);
      if (message.t === 'forked') {
        const startTimeTicks = readProcStat(message.pid)?.startTimeTicks ?? 0;
        pending.resolve(this.#addWorker(message.key, message.pid, startTimeTicks, pending.events, pending.fifoDir, pending.pipes));
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

  #takeOutput(pending: PendingFork, message: Extract<HostToDaemon, { t: 'outputPipe' | 'outputFifo' }>, handle: unknown): void {
    if (message.t === 'outputFifo') {
      pending.fifoDir = message.dir;
      return;
    }
    const pipe = handle as Readable | undefined;
    if (pipe === undefined) return;
    // A read error on a worker pipe only means no more output from it.
    pipe.on('error', () => undefined);
    pending.pipes[message.stream === 'out' ? 'stdout' : 'stderr'] = pipe;
  }

  /**
   * A worker the daemon drives. Output through FIFOs is opened here by path; once the worker
   * exited and both were read to their end, the host lets them go and the folder is removed
   * (the pipes end after the exit: whatever held them is gone).
   */
  #addWorker(key: number, pid: number, startTimeTicks: number, events: DriverEvents, fifoDir: string | null, pipes?: WorkerPipes): ClusterWorker {
    const output = fifoDir === null ? (pipes ?? { stdout: null, stderr: null }) : { stdout: openOutputFifo(fifoDir, 'out'), stderr: openOutputFifo(fifoDir, 'err') };
    const holder = fifoDir === null ? null : { pid: this.pid, startTimeTicks: this.startTimeTicks, dir: fifoDir };
    const worker = new ClusterWorker(key, pid, startTimeTicks, this, events, output, holder);
    this.#workers.set(key, worker);
    if (fifoDir !== null) {
      // Closed while the worker runs means this daemon is handing over: the next one reads on.
      whenClosed([output.stdout, output.stderr], () => {
        if (!worker.hasExited) return;
        this.send({ t: 'release', key });
        removeFifoDir(fifoDir);
      });
    }
    return worker;
  }

  #die(signal: NodeJS.Signals | null, spawnError: string | null): void {
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
    this.onGone();
    this.#resolveExited();
  }
}

