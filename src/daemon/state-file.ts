import type { AppSpec } from '../core/app-spec.js';
import type { HolderRef } from '../core/driver.js';
import type { HistoryEntry } from '../core/instance-info.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import type { ProcessIdentity } from './kill-tree.js';

/** What the daemon persists so the next daemon can clean up and bring the same apps back. */
export interface PersistedState {
  version: 1;
  nextId: number;
  apps: PersistedApp[];
  /**
   * Processes the daemon owns that are not instances (cluster hosts): with their app and control
   * socket, a later daemon can take them over.
   */
  extraProcesses: Array<ProcessIdentity & { app?: string; socket?: string | null }>;
}

export interface PersistedApp {
  spec: AppSpec;
  baseEnv: Record<string, string>;
  instances: PersistedInstance[];
}

export interface PersistedInstance {
  id: number;
  index: number;
  /** Whether the instance should be running (it was starting, online or waiting). */
  wanted: boolean;
  restarts: number;
  process: ProcessIdentity | null;
  /** The holder the process runs under (fork mode): what lets the next daemon adopt it. */
  holder?: HolderRef | null;
  /** When the process started (ms since the epoch): an adopted instance keeps its uptime. */
  startedAtWallMs?: number | null;
  /** The last entries of its history (describe), carried over to the next daemon. */
  history?: readonly HistoryEntry[];
}

/** The state of a home with no apps (after `tend kill`). */
export function emptyState(): PersistedState {
  return { version: 1, nextId: 0, apps: [], extraProcesses: [] };
}

/** Atomic always; `durable` adds the fsyncs (see writeFileAtomic). */
export function writeState(path: string, state: PersistedState, durable = true): void {
  writeFileAtomic(path, `${serializeState(state)}\n`, 0o600, durable);
}

/**
 * JSON of specs, environments and histories by object: they are replaced, never changed (an
 * instance's persisted history is a frozen array until it changes, see BoundedList.tail), so
 * one text serves every write.
 */
const fragments = new WeakMap<object, string>();

function fragmentOf(value: object): string {
  let text = fragments.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    fragments.set(value, text);
  }
  return text;
}

/**
 * The same text as JSON.stringify(state), built from cached fragments: the state file is
 * written after every burst of changes, and with 1,000 apps re-encoding 2.5 MB of specs and
 * environments (and 20 history entries per instance) each time cost the daemon most of a large start.
 */
export function serializeState(state: PersistedState): string {
  const apps = state.apps.map(
    (app) => `{"spec":${fragmentOf(app.spec)},"baseEnv":${fragmentOf(app.baseEnv)},"instances":[${app.instances.map(instanceText).join(',')}]}`,
  );
  return `{"version":${state.version},"nextId":${state.nextId},"extraProcesses":${JSON.stringify(state.extraProcesses)},"apps":[${apps.join(',')}]}`;
}

/** An instance's JSON, its history (20 entries, most of its text) from the cache. */
function instanceText(instance: PersistedInstance): string {
  const { history, ...rest } = instance;
  const text = JSON.stringify(rest);
  return history === undefined ? text : `${text.slice(0, -1)},"history":${fragmentOf(history)}}`;
}

/**
 * What must survive a power loss: the apps, their specs and environments, their ids and
 * whether each should run. Pids and restart counts mean nothing after the machine restarts.
 * Compared by identity: the supervisor replaces a spec or environment object when it changes.
 */
export function durableShape(state: PersistedState): unknown[] {
  const shape: unknown[] = [state.nextId];
  for (const app of state.apps) {
    shape.push(app.spec, app.baseEnv);
    for (const instance of app.instances) shape.push(instance.id, instance.index, instance.wanted);
  }
  return shape;
}

/** Whether two durable shapes name the same apps, specs, environments, ids and wanted flags. */
export function sameDurableShape(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, k) => item === b[k]);
}

/** Reads the state file; a missing or unreadable one means a fresh start. */
export function readState(path: string): PersistedState | null {
  try {
    const value = readJsonFile(path) as PersistedState | null;
    if (!value || value.version !== 1 || !Array.isArray(value.apps)) return null;
    return value;
  } catch {
    return null;
  }
}
