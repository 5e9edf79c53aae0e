import type { AppSpec } from '../core/app-spec.js';
import type { Clock } from '../core/clock.js';
import type { InstanceDriver } from '../core/driver.js';
import { TendError } from '../core/errors.js';
import type { InstanceInfo, RestartCause } from '../core/instance-info.js';
import { isRunningState, toPublicStatus } from '../core/status.js';
import { buildInstanceEnv } from './instance-env.js';
import { ListenSockets } from './listen-sockets.js';
import type { NotifyRelay } from './readiness/notify-relay.js';
import { type AppRecord, Instance, type InstanceHost, type LogSinkLike } from './instance.js';
import { PersistedInstances } from './persisted-instances.js';
import { SpawnQueue } from './spawn-queue.js';
import { afterPoll } from './timers.js';
import { STOP_TURN_INSTANCES, TURN_INSTANCES, eachInTurns } from './command-turns.js';
import { instanceRow } from './instance-row.js';
import { shareEnv } from './shared-env.js';
import type { PersistedInstance, PersistedState } from './state-file.js';
import { resolveTargets } from './targets.js';
import { type Blocker, type DependencyEdge, type DependencyView, dependentsIndex, findBlocker, stopStages } from './dependencies.js';
import { AUTOMATIC_RESTARTS_PER_SECOND, AUTOMATIC_RESTART_BURST, RestartBudget } from './lifecycle/restart-budget.js';

export interface SupervisorOptions {
  clock: Clock;
  drivers: { fork: InstanceDriver; cluster: InstanceDriver };
  openLogs: (instance: Instance) => LogSinkLike | null;
  /** Latest sample of an instance's process tree, if the sampler has one. */
  usage: (instance: Instance) => { cpuPercent: number; memoryBytes: number } | null;
  /** `listed`: the instance is the one in the table under its id (a reload's replacement is not, until swapped in). */
  onInstanceChanged: (instance: Instance, listed: boolean) => void;
  /** The set of apps or one of their specs changed (what restart triggers follow). */
  onAppsChanged: () => void;
  log: InstanceHost['log'];
  notifyRelay: () => NotifyRelay;
  /** This daemon's TEND_HOME, given to every app (an app that runs `tend` reaches this daemon). */
  tendHome?: string;
}

export { STOP_TURN_INSTANCES, TURN_INSTANCES } from './command-turns.js';

/** An app to start and the environment snapshot it runs with. */
export interface StartEntry {
  spec: AppSpec;
  baseEnv: Record<string, string>;
  /** Ids wanted by index (resurrect keeps saved ids); an id already in use gets a fresh one. */
  ids?: readonly number[];
}

interface AppEntry {
  record: AppRecord;
  instances: Map<number, Instance>;
}

/** The registry of apps and their instances; every command on processes goes through here. */
export class Supervisor {
  private readonly apps = new Map<string, AppEntry>();
  /** Instances a delete is stopping: still listed, never started again. */
  private readonly deleting = new WeakSet<Instance>();
  private nextId = 0;
  private readonly host: InstanceHost;
  private readonly restartBudget = new RestartBudget(AUTOMATIC_RESTARTS_PER_SECOND, AUTOMATIC_RESTART_BURST);
  /** Sockets of `listen` apps, open from registration to delete. */
  readonly sockets = new ListenSockets();
  private readonly spawnQueue: SpawnQueue;
  /** For each app, the apps whose depends_on names it; rebuilt after the set of apps or a spec changes. */
  private dependents: Map<string, string[]> | null = null;
  private readonly persisted = new PersistedInstances();

  constructor(private readonly options: SupervisorOptions) {
    this.spawnQueue = new SpawnQueue(options.clock);
    this.host = {
      clock: options.clock,
      driverFor: (spec) => (spec.execMode === 'cluster' ? options.drivers.cluster : options.drivers.fork),
      buildEnv: (instance) => buildInstanceEnv(instance.app.baseEnv, instance.spec, instance.id, instance.index, options.tendHome),
      openLogs: options.openLogs,
      changed: (instance) => {
        const listed = this.isListed(instance);
        options.onInstanceChanged(instance, listed);
        if (listed) this.wakeDependents(instance.spec.name);
      },
      log: options.log,
      paceRestart: (delayMs) => this.restartBudget.reserve(options.clock.monotonicMs(), delayMs),
      listenFds: (spec) => this.sockets.fdsOf(spec.name),
      notifyRelay: options.notifyRelay,
      queueSpawn: (job) => this.spawnQueue.add(job),
      blockerOf: (instance) => this.blockerOf(instance),
    };
  }

  allInstances(): Instance[] {
    const all: Instance[] = [];
    for (const entry of this.apps.values()) all.push(...entry.instances.values());
    return all.sort((a, b) => a.id - b.id);
  }

  appOf(instance: Instance): AppEntry | undefined {
    return this.apps.get(instance.spec.name);
  }

  app(name: string): AppEntry | undefined {
    return this.apps.get(name);
  }

  specs(): AppSpec[] {
    return [...this.apps.values()].map((entry) => entry.record.spec);
  }

  appNames(): string[] {
    return [...this.apps.keys()];
  }

  /**
   * Ids matching CLI targets (ids, names, namespaces, `all`). Instances a delete is ending are
   * listed but no command's target: a restart served between the delete's turns brought them
   * back after the delete had let go of them.
   */
  resolve(targets: readonly string[]): Instance[] {
    const all = this.allInstances().filter((i) => !this.deleting.has(i));
    const ids = resolveTargets(
      targets,
      all.map((i) => ({ id: i.id, name: i.spec.name, namespace: i.spec.namespace })),
    );
    return ids.map((id) => all.find((i) => i.id === id) as Instance);
  }

  /**
   * Registers and starts apps. An app whose name is already registered is not duplicated:
   * its stopped instances are started again and running ones are left alone.
   */
  async startApps(apps: readonly StartEntry[]): Promise<Instance[]> {
    await this.openSockets(apps.map((app) => app.spec).filter((spec) => !this.apps.has(spec.name)));
    const started: Instance[] = [];
    const toStart: Array<{ instance: Instance; cause: RestartCause | null }> = [];
    let sinceTurn = 0;
    for (const { spec, baseEnv, ids } of apps) {
      // A turn for the sockets every TURN_INSTANCES: 1,000 apps took ~40 ms to register.
      if (sinceTurn >= TURN_INSTANCES) {
        sinceTurn = 0;
        this.appsChanged();
        await afterPoll();
      }
      sinceTurn += spec.instances;
      const existing = this.apps.get(spec.name);
      if (existing) {
        for (const instance of existing.instances.values()) {
          if (!isRunningState(instance.state)) toStart.push({ instance, cause: 'manual' });
          started.push(instance);
        }
        continue;
      }
      const entry: AppEntry = { record: { spec, baseEnv: this.shareEnv(baseEnv) }, instances: new Map() };
      this.apps.set(spec.name, entry);
      for (let index = 0; index < spec.instances; index += 1) {
        const instance = this.addInstance(entry, index, this.pickId(ids?.[index]));
        if (spec.autostart) toStart.push({ instance, cause: null });
        started.push(instance);
      }
    }
    this.appsChanged();
    // Deleted, or being deleted, by a command served in one of those turns: nothing to start.
    const starts = await eachInTurns(toStart, TURN_INSTANCES, ({ instance, cause }) =>
      this.isListed(instance) && !this.deleting.has(instance) ? instance.start(cause) : undefined,
    );
    await Promise.all(starts);
    return started;
  }

  /** Replaces an app's env snapshot and spec (restart --update-env); removed variables are gone. */
  updateApp(name: string, spec: AppSpec | null, baseEnv: Record<string, string>): void {
    const entry = this.apps.get(name);
    if (!entry) throw new TendError('APP_NOT_FOUND', `no app named "${name}"`);
    const record: AppRecord = { spec: spec ?? entry.record.spec, baseEnv: this.shareEnv(baseEnv) };
    entry.record = record;
    for (const instance of entry.instances.values()) instance.app = record;
    this.appsChanged();
    // A changed depends_on may free (or hold back) a start already waiting.
    for (const instance of entry.instances.values()) instance.dependenciesChanged();
  }

  /**
   * Stops instances in depends_on order: the apps depending on others first, each stage waited
   * for (resolved once nothing of it runs) before the apps it depends on are stopped.
   */
  async stopInstances(instances: readonly Instance[]): Promise<void> {
    for (const stage of stopStages(this.dependencyEdges(), instances.map((i) => i.spec.name))) {
      const names = new Set(stage);
      const inStage = instances.filter((i) => names.has(i.spec.name));
      await Promise.all(await eachInTurns(inStage, STOP_TURN_INSTANCES, (instance) => instance.stop()));
    }
  }

  async deleteInstances(instances: readonly Instance[]): Promise<void> {
    // Listed until stopped, but never started again: a large start may reach them meanwhile.
    for (const instance of instances) this.deleting.add(instance);
    await this.stopInstances(instances);
    const removedApps: string[] = [];
    for (const instance of instances) {
      instance.dispose();
      const entry = this.apps.get(instance.spec.name);
      entry?.instances.delete(instance.id);
      if (entry && entry.instances.size === 0) {
        this.apps.delete(instance.spec.name);
        removedApps.push(instance.spec.name);
        this.sockets.close(instance.spec.name);
        await this.options.drivers[instance.spec.execMode].releaseApp?.(instance.spec.name);
      }
    }
    if (this.apps.size === 0) this.nextId = 0;
    this.appsChanged();
    for (const name of removedApps) this.wakeDependents(name);
  }

  /** Sets an app's instance count: new instances take the lowest free indexes. */
  async scale(name: string, count: number): Promise<{ added: Instance[]; removed: Instance[] }> {
    const entry = this.apps.get(name);
    if (!entry) throw new TendError('APP_NOT_FOUND', `no app named "${name}"`);
    if (!Number.isInteger(count) || count < 0) throw new TendError('INVALID_ARGUMENT', `scale needs a count of 0 or more, got ${count}`);
    const current = [...entry.instances.values()].sort((a, b) => a.index - b.index);
    const added: Instance[] = [];
    const removed = current.length > count ? current.slice(count) : [];
    const used = new Set(current.map((i) => i.index));
    for (let index = 0; current.length + added.length < count; index += 1) {
      if (used.has(index)) continue;
      const instance = this.addInstance(entry, index, this.nextId++);
      added.push(instance);
    }
    entry.record.spec = { ...entry.record.spec, instances: count };
    this.appsChanged();
    await Promise.all(added.map((i) => i.start()));
    await this.deleteInstances(removed);
    return { added, removed };
  }

  info(instance: Instance): InstanceInfo {
    return instanceRow(instance, isRunningState(instance.state) ? this.options.usage(instance) : null, this.options.clock.wallMs());
  }

  list(): InstanceInfo[] {
    return this.allInstances().map((i) => this.info(i));
  }

  snapshot(extraProcesses: PersistedState['extraProcesses']): PersistedState {
    return {
      version: 1,
      nextId: this.nextId,
      extraProcesses,
      apps: [...this.apps.values()].map((entry) => ({
        spec: entry.record.spec,
        baseEnv: entry.record.baseEnv,
        instances: [...entry.instances.values()].map((i) => this.persisted.of(i)),
      })),
    };
  }

  /**
   * Rebuilds the registry from a persisted state: adopts what `adopt` names (recovery checked it),
   * then starts what was wanted and is not running (the rest was already ended).
   */
  async restore(state: PersistedState, adopt: (saved: PersistedInstance) => boolean = () => false): Promise<Instance[]> {
    this.nextId = state.nextId;
    const toStart: Instance[] = [];
    const adopted: Instance[] = [];
    for (const app of state.apps) {
      // The previous daemon's sockets died with it and its apps: bind them again, or start without.
      await this.sockets.open(app.spec).catch((error: unknown) => this.options.log('error', error instanceof Error ? error.message : String(error), { app: app.spec.name }));
      const entry: AppEntry = { record: { spec: app.spec, baseEnv: this.shareEnv(app.baseEnv) }, instances: new Map() };
      this.apps.set(app.spec.name, entry);
      for (const saved of app.instances) {
        const instance = this.addInstance(entry, saved.index, saved.id);
        instance.restarts = saved.restarts;
        for (const item of saved.history ?? []) instance.history.push(item);
        if (adopt(saved) && adoptSaved(instance, saved)) adopted.push(instance);
        else if (saved.wanted) toStart.push(instance);
      }
    }
    this.appsChanged();
    await Promise.all(toStart.map((i) => i.start()));
    return adopted;
  }

  /** A replacement for `instance` (same id and index), not listed until `swap` (rolling reload). */
  createReplacement(instance: Instance): Instance {
    const entry = this.apps.get(instance.spec.name);
    if (!entry) throw new TendError('APP_NOT_FOUND', `no app named "${instance.spec.name}"`);
    const replacement = new Instance(instance.id, instance.index, entry.record, this.host);
    replacement.inherit(instance);
    return replacement;
  }

  /** Puts `replacement` in the table in place of `old` (same id); it carries on its history. */
  swap(old: Instance, replacement: Instance): void {
    replacement.noteReplaced(old);
    this.apps.get(replacement.spec.name)?.instances.set(replacement.id, replacement);
    this.options.onInstanceChanged(replacement, true);
    this.wakeDependents(replacement.spec.name);
  }

  private appsChanged(): void {
    this.dependents = null;
    this.options.onAppsChanged();
  }

  /**
   * What a listed instance's start waits for. A reload's replacement never waits: the app it
   * replaces already runs, and holding it back would only make the reload time out.
   */
  private blockerOf(instance: Instance): Blocker | null {
    if (!this.isListed(instance)) return null;
    return findBlocker(instance.spec.name, instance.spec.dependsOn ?? [], (name) => this.dependencyView(name));
  }

  private dependencyView(name: string): DependencyView | undefined {
    const entry = this.apps.get(name);
    if (!entry) return undefined;
    return { instances: [...entry.instances.values()].map((i) => ({ status: toPublicStatus(i.state), ready: i.ready })) };
  }

  private dependencyEdges(): DependencyEdge[] {
    return [...this.apps.values()].map((entry) => ({ name: entry.record.spec.name, dependsOn: entry.record.spec.dependsOn ?? [] }));
  }

  /** Tells the waiting instances of the apps that depend on `name` that it changed. */
  private wakeDependents(name: string): void {
    this.dependents ??= dependentsIndex(this.dependencyEdges());
    for (const dependent of this.dependents.get(name) ?? []) {
      for (const instance of this.apps.get(dependent)?.instances.values() ?? []) {
        if (instance.lifecycle.name === 'blocked') instance.dependenciesChanged();
      }
    }
  }

  /** Binds the sockets of every app about to be registered; one failure closes them all, so nothing is registered. */
  private async openSockets(specs: readonly AppSpec[]): Promise<void> {
    const opened: string[] = [];
    try {
      for (const spec of specs) {
        if (this.sockets.has(spec.name) || (spec.listen ?? []).length === 0) continue;
        await this.sockets.open(spec);
        opened.push(spec.name);
      }
    } catch (error) {
      for (const name of opened) this.sockets.close(name);
      throw error;
    }
  }

  private isListed(instance: Instance): boolean {
    return this.apps.get(instance.spec.name)?.instances.get(instance.id) === instance;
  }

  /** One object for equal snapshots (see shared-env.ts), looked for among the registered apps'. */
  private shareEnv(env: Record<string, string>): Record<string, string> {
    return shareEnv(env, this.heldSnapshots());
  }

  /**
   * The registered apps' snapshots, each run of one object given once: apps started together
   * share one, so a start of 1,000 apps compares each new snapshot with a few, not 1,000.
   */
  private *heldSnapshots(): Generator<Record<string, string>> {
    let previous: Record<string, string> | null = null;
    for (const entry of this.apps.values()) {
      if (entry.record.baseEnv !== previous) yield entry.record.baseEnv;
      previous = entry.record.baseEnv;
    }
  }

  private pickId(wanted: number | undefined): number {
    return wanted !== undefined && !this.isIdTaken(wanted) ? wanted : this.nextId++;
  }

  private isIdTaken(id: number): boolean {
    for (const entry of this.apps.values()) if (entry.instances.has(id)) return true;
    return false;
  }

  private addInstance(entry: AppEntry, index: number, id: number): Instance {
    const instance = new Instance(id, index, entry.record, this.host);
    entry.instances.set(id, instance);
    this.nextId = Math.max(this.nextId, id + 1);
    return instance;
  }
}

/** jlist's fields for a start held back by depends_on. */
/** Adopts the saved run's process; false when it cannot be (it is then started anew if wanted). */
function adoptSaved(instance: Instance, saved: PersistedInstance): boolean {
  if (!saved.process || !saved.holder) return false;
  try {
    return instance.adopt({ process: saved.process, holder: saved.holder }, saved.startedAtWallMs ?? Date.now());
  } catch {
    return false;
  }
}
