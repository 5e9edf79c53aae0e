import { join, resolve } from 'node:path';
import { MAX_TIMER_STEP_MS } from '../timers.js';
import { watch, type FSWatcher } from 'chokidar';
import { createIgnoreMatcher, DEFAULT_IGNORE_WATCH } from './ignore-matcher.js';

export const DEFAULT_WATCH_DELAY_MS = 1000;

export interface WatchTriggerOptions {
  /** Files or folders to watch; relative ones resolve against `cwd`. */
  paths: readonly string[];
  /** PM2's ignore_watch: names, globs or RegExps. Replaces the default (node_modules, dotfiles). */
  ignore?: readonly (string | RegExp)[];
  /** Quiet period after the last change before the callback runs (PM2's watch_delay). */
  watchDelayMs?: number;
  cwd?: string;
  /** More chokidar options (`watch_options`: polling, symlinks, depth...); tend's own win. */
  chokidarOptions?: Record<string, unknown>;
}

/**
 * Restart-on-change for one app. A burst of changes (an editor save, a `git checkout`) gives one
 * callback after `watchDelayMs` of quiet, with every path that changed. node_modules is never
 * entered, whatever the ignore list says: it can hold more files than inotify allows watches.
 */
export class WatchTrigger {
  private readonly watcher: FSWatcher;
  private readonly delayMs: number;
  private readonly listeners = new Set<(paths: string[]) => void>();
  private readonly errorListeners = new Set<(error: unknown) => void>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly readyPromise: Promise<void>;

  constructor(options: WatchTriggerOptions) {
    const cwd = options.cwd ?? process.cwd();
    const roots = options.paths.map((path) => resolve(cwd, path));
    this.delayMs = options.watchDelayMs ?? DEFAULT_WATCH_DELAY_MS;
    const ignore = [...(options.ignore ?? DEFAULT_IGNORE_WATCH), 'node_modules'];
    const isIgnored = createIgnoreMatcher(roots, ignore);
    this.watcher = watch(roots, { ...options.chokidarOptions, ignored: isIgnored, ignoreInitial: true, persistent: true });
    this.readyPromise = new Promise((resolveReady) => this.watcher.once('ready', () => resolveReady()));
    this.watcher.on('all', (_event, path) => this.record(path));
    // chokidar is an EventEmitter: an unheard 'error' would throw inside the daemon.
    this.watcher.on('error', (error) => {
      for (const listener of this.errorListeners) listener(error);
    });
  }

  /** Resolves once the initial scan is done; changes before that are not reported. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Every file and folder being watched, absolute; for tests and `describe`. */
  watchedPaths(): string[] {
    const watched = this.watcher.getWatched();
    return Object.entries(watched).flatMap(([dir, names]) => [dir, ...names.map((name) => join(dir, name))]);
  }

  onChange(listener: (paths: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    await this.watcher.close();
  }

  private record(path: string): void {
    this.pending.add(path);
    // Trailing debounce: every change pushes the callback back to a full quiet period.
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), Math.min(this.delayMs, MAX_TIMER_STEP_MS));
  }

  private flush(): void {
    this.timer = null;
    const paths = [...this.pending];
    this.pending.clear();
    for (const listener of this.listeners) listener(paths);
  }
}
