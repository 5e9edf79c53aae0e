import type { AppSpec } from '../../core/app-spec.js';
import type { RestartCause } from '../../core/instance-info.js';
import type { SampleTick } from '../../metrics/sampler.js';
import type { Instance } from '../instance.js';
import { decideCronAction } from './cron-action.js';
import type { CronTrigger } from './cron-trigger.js';
import { INITIAL_MEMORY_LIMIT_STATE, type MemoryLimitState, decideMemoryRestart } from './memory-limit.js';
import type { WatchTrigger } from './watch-trigger.js';

/**
 * A burst of saves from an editor or a `git checkout` arrives as many events; even with
 * `watch_delay: 0` (PM2's default) they are gathered for this long into one restart.
 */
const MIN_WATCH_DEBOUNCE_MS = 300;

interface AppTriggers {
  spec: AppSpec;
  watch: WatchTrigger | null;
  cron: CronTrigger | null;
  /** Set when the app was deleted or changed while its triggers were still loading. */
  closed: boolean;
}

export interface TriggerHost {
  /** Instances of an app by name (empty once deleted). */
  instancesOf(appName: string): Instance[];
  /** Restarts (fork) or gracefully replaces (cluster) running instances, recording the cause. */
  restartInstances(instances: Instance[], cause: RestartCause, detail: string): Promise<void>;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Restart triggers of every app: file watching and cron schedules per app, and the memory
 * limit per instance, checked on every sampler tick (not every 30 s).
 */
export class TriggerManager {
  private readonly apps = new Map<string, AppTriggers>();
  private readonly memory = new Map<number, MemoryLimitState>();

  constructor(private readonly host: TriggerHost) {}

  /** Makes the triggers match the apps' current specs: call after starts, updates and deletes. */
  sync(specs: readonly AppSpec[]): void {
    const names = new Set(specs.map((s) => s.name));
    for (const [name, triggers] of this.apps) {
      if (!names.has(name)) this.close(name, triggers);
    }
    for (const spec of specs) {
      const current = this.apps.get(spec.name);
      if (current && current.spec === spec) continue;
      if (current) this.close(spec.name, current);
      this.apps.set(spec.name, this.open(spec));
    }
  }

  /** Called with each sampler tick: instances whose tree passed max_memory_restart are restarted. */
  checkMemory(tick: SampleTick, instances: readonly Instance[]): void {
    for (const instance of instances) {
      const sample = tick.samples.get(instance.id);
      const pid = instance.pid;
      if (!sample || pid === null || instance.state !== 'online') continue;
      const state = this.memory.get(instance.id) ?? INITIAL_MEMORY_LIMIT_STATE;
      const decision = decideMemoryRestart(state, pid, sample.memoryBytes, instance.spec.maxMemoryRestartBytes);
      this.memory.set(instance.id, decision.state);
      if (decision.restart) void this.host.restartInstances([instance], 'memory', decision.reason ?? 'over max_memory_restart');
    }
  }

  closeAll(): void {
    for (const [name, triggers] of this.apps) this.close(name, triggers);
  }

  /**
   * chokidar and croner are loaded only when an app asks for watching or a schedule: most
   * daemons never need them, and they cost start-up time and memory.
   */
  private open(spec: AppSpec): AppTriggers {
    const triggers: AppTriggers = { spec, watch: null, cron: null, closed: false };
    if (spec.watch && spec.watch.length > 0) void this.openWatch(spec, triggers);
    if (spec.cronRestart) void this.openCron(spec, triggers);
    return triggers;
  }

  private async openWatch(spec: AppSpec, triggers: AppTriggers): Promise<void> {
    try {
      const { WatchTrigger } = await import('./watch-trigger.js');
      if (triggers.closed) return;
      const watch = new WatchTrigger({
        paths: spec.watch ?? [],
        ignore: spec.ignoreWatch,
        watchDelayMs: Math.max(spec.watchDelayMs, MIN_WATCH_DEBOUNCE_MS),
        cwd: spec.cwd,
        chokidarOptions: spec.watchOptions ?? {},
      });
      watch.onChange((paths) => this.fire(spec.name, 'watch', `changed: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', ...' : ''}`));
      watch.onError((error) => this.host.log('warn', 'watcher error', { app: spec.name, err: error }));
      triggers.watch = watch;
    } catch (error) {
      this.host.log('error', 'could not watch files', { app: spec.name, err: error });
    }
  }

  private async openCron(spec: AppSpec, triggers: AppTriggers): Promise<void> {
    try {
      const { CronTrigger } = await import('./cron-trigger.js');
      if (triggers.closed || !spec.cronRestart) return;
      const cron = new CronTrigger(spec.cronRestart);
      cron.onFire(() => this.fireCron(spec.name, `cron_restart "${spec.cronRestart}"`));
      triggers.cron = cron;
    } catch (error) {
      this.host.log('error', 'invalid cron_restart', { app: spec.name, err: error });
    }
  }

  private fire(appName: string, cause: RestartCause, detail: string): void {
    const running = this.host.instancesOf(appName).filter((i) => i.state === 'online' || i.state === 'starting' || i.state === 'waiting');
    if (running.length === 0) return;
    this.host.log('info', `restarting on ${cause}`, { app: appName, detail });
    void this.host.restartInstances(running, cause, detail);
  }

  /** A schedule also starts an instance at rest that ended by itself or never ran (cron-action.ts). */
  private fireCron(appName: string, detail: string): void {
    const due = this.host.instancesOf(appName).filter((i) => decideCronAction(i.lifecycle.name, i.history.last()?.event) !== 'leave');
    if (due.length === 0) return;
    this.host.log('info', 'restarting on cron', { app: appName, detail });
    void this.host.restartInstances(due, 'cron', detail);
  }

  private close(name: string, triggers: AppTriggers): void {
    triggers.closed = true;
    void triggers.watch?.close();
    triggers.cron?.stop();
    this.apps.delete(name);
  }
}
