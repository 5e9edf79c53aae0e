import { access } from 'node:fs/promises';
import type { AppSpec } from '../core/app-spec.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AdoptRecord, DriverEvents, InstanceDriver, SpawnRequest, SpawnedInstance } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import { resolveHostPath } from './host-path.js';
import { HostProcess, type HostRecord } from './host-process.js';

export interface ClusterDriverOptions {
  /** The compiled cluster host; defaults to dist/runtime/cluster-host.js. */
  hostPath?: string;
  /** How long releaseApp waits for the host to exit on its own before killing its group. */
  releaseTimeoutMs?: number;
  /**
   * Where workers' output FIFOs (TEND_HOME/holders) and hosts' control sockets (TEND_HOME/hosts)
   * go, and the mkfifo command: with them a later daemon can take the hosts over. Without them
   * (tests of the driver alone) workers' pipes are handed to the daemon over the IPC channel.
   */
  adoptable?: { holdersDir: string; hostsDir: string; mkfifo: string };
}

export const DEFAULT_HOST_RELEASE_TIMEOUT_MS = 3000;
/** Variables that configure Node itself must not reach the host's own start-up. */
const HOST_ENV_EXCLUDED = ['NODE_OPTIONS', 'NODE_UNIQUE_ID', 'TEND_ID'];

/**
 * Runs cluster-mode instances as node:cluster workers of a per-app cluster host (DESIGN.md
 * §1). The host is started lazily by the app's first spawn and replaced by the next spawn
 * after it died; the daemon records its pid (`hostProcesses`) to end it on recovery.
 */
export class ClusterDriver implements InstanceDriver {
  readonly #hostPath: string;
  readonly #releaseTimeoutMs: number;
  readonly #hosts = new Map<string, HostProcess>();
  readonly #adoptable: ClusterDriverOptions['adoptable'] | null;
  #nextKey = 1;

  constructor(options: ClusterDriverOptions = {}) {
    this.#hostPath = options.hostPath ?? resolveHostPath();
    this.#releaseTimeoutMs = options.releaseTimeoutMs ?? DEFAULT_HOST_RELEASE_TIMEOUT_MS;
    this.#adoptable = options.adoptable ?? null;
  }

  /**
   * Takes over the hosts a previous daemon left (recovery checked their pid, start time and
   * owner) through their control sockets; returns the pids of those that answered.
   */
  async adoptHosts(records: readonly HostRecord[]): Promise<Set<number>> {
    const adopted = new Set<number>();
    for (const record of records) {
      const host = await HostProcess.adopt(record, () => {
        if (this.#hosts.get(record.app) === host) this.#hosts.delete(record.app);
      });
      if (host === null) continue;
      this.#hosts.set(record.app, host);
      this.#nextKey = Math.max(this.#nextKey, host.maxHeldKey + 1);
      adopted.add(record.pid);
    }
    return adopted;
  }

  /** A worker of an adopted host; throws when its host does not hold it (it is then started anew). */
  adopt(record: AdoptRecord, events: DriverEvents): SpawnedInstance {
    const host = [...this.#hosts.values()].find((h) => h.pid === record.holder.pid && h.startTimeTicks === record.holder.startTimeTicks);
    const worker = host?.adoptWorker(record.process.pid, record.process.startTimeTicks, events) ?? null;
    if (worker === null) throw new TendError('INTERNAL', `cluster worker ${record.process.pid} is not held by host ${record.holder.pid}`);
    return worker;
  }

  /** After adoption: ends the workers of adopted hosts that no instance took (see HostProcess). */
  endUnadoptedWorkers(graceMs: number): number {
    return [...this.#hosts.values()].reduce((count, host) => count + host.endUnadoptedWorkers(graceMs), 0);
  }

  async spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance> {
    const { spec } = request;
    try {
      await access(spec.script);
    } catch (cause) {
      throw new TendError('SCRIPT_NOT_FOUND', `app "${spec.name}": script not found: ${spec.script}`, { cause });
    }
    const host = this.#hostFor(spec, request);
    const key = this.#nextKey;
    this.#nextKey += 1;
    return host.fork(key, request.env, events);
  }

  /** The pid of the app's live cluster host, or null when it has none. */
  hostPid(appName: string): number | null {
    return this.#hosts.get(appName)?.pid ?? null;
  }

  /** Every live host, named by pid and start time, for the daemon's state file. */
  hostProcesses(): HostRecord[] {
    return [...this.#hosts.entries()].map(([app, host]) => ({ app, pid: host.pid, startTimeTicks: host.startTimeTicks, socket: host.socket }));
  }

  /** Asks the app's host to exit (its workers should be gone); kills its group after a bound. */
  async releaseApp(appName: string): Promise<void> {
    const host = this.#hosts.get(appName);
    if (host === undefined) return;
    this.#hosts.delete(appName);
    host.send({ t: 'shutdown' });
    const timer = setTimeout(() => host.killGroup(), this.#releaseTimeoutMs);
    await host.exited;
    clearTimeout(timer);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.#hosts.keys()].map((name) => this.releaseApp(name)));
  }

  #hostFor(spec: AppSpec, request: SpawnRequest): HostProcess {
    const existing = this.#hosts.get(spec.name);
    if (existing?.isAlive) {
      existing.applySpec(spec);
      return existing;
    }
    const env = { ...request.env };
    for (const name of [...HOST_ENV_EXCLUDED, spec.instanceVar]) delete env[name];
    const adoptable = this.#adoptable;
    let socket: string | null = null;
    if (adoptable) {
      mkdirSync(adoptable.holdersDir, { recursive: true, mode: 0o700 });
      mkdirSync(adoptable.hostsDir, { recursive: true, mode: 0o700 });
      socket = join(adoptable.hostsDir, `${this.#nextKey}-${Date.now().toString(36)}.sock`);
      Object.assign(env, { TEND_HOLDERS_DIR: adoptable.holdersDir, TEND_MKFIFO: adoptable.mkfifo, TEND_HOST_SOCKET: socket });
    }
    const host = HostProcess.spawn(this.#hostPath, spec, env, socket, () => {
      if (this.#hosts.get(spec.name) === host) this.#hosts.delete(spec.name);
    });
    if (host.pid === 0) {
      throw new TendError('INTERNAL', `app "${spec.name}": could not start the cluster host ${this.#hostPath}`);
    }
    this.#hosts.set(spec.name, host);
    return host;
  }
}
