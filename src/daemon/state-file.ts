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

/** Atomic always; `durable` adds the fsyncs (see writeFileAtomic). Returns the file's size. */
export function writeState(path: string, state: PersistedState, durable = true): number {
  const chunks = [...stateChunks(state), NEWLINE];
  writeFileAtomic(path, chunks, 0o600, durable);
  return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
}

/**
 * JSON of specs, environments and instance entries by object, as bytes: they are replaced,
 * never changed (an instance's entry is the same frozen object until something in it changes,
 * see PersistedInstances), so one encoding serves every write.
 */
const fragments = new WeakMap<object, Buffer>();

function fragmentOf(value: object): Buffer {
  let bytes = fragments.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(value), 'utf8');
    fragments.set(value, bytes);
  }
  return bytes;
}

const NEWLINE = Buffer.from('\n');
const COMMA = Buffer.from(',');
const SPEC = Buffer.from('{"spec":');
const BASE_ENV = Buffer.from(',"baseEnv":');
const INSTANCES = Buffer.from(',"instances":[');
const CLOSE_APP = Buffer.from(']}');
const CLOSE_STATE = Buffer.from(']}');

/**
 * The same text as JSON.stringify(state), as a list of byte chunks written in one writev: the
 * specs, environments and instance entries are cached encodings, so only what changed since
 * the last write is encoded. The state file is
 * written after every burst of changes, and with 1,000 apps (2-3 MB) re-encoding it each time
 * cost the daemon most of a large start, then joining it into one string and one buffer left
 * ~6 MB of garbage a write (460 MB during that start: the daemon's heap grew past 100 MiB).
 */
export function stateChunks(state: PersistedState): Buffer[] {
  const chunks: Buffer[] = [Buffer.from(`{"version":${state.version},"nextId":${state.nextId},"extraProcesses":${JSON.stringify(state.extraProcesses)},"apps":[`)];
  state.apps.forEach((app, k) => {
    if (k > 0) chunks.push(COMMA);
    chunks.push(SPEC, fragmentOf(app.spec), BASE_ENV, fragmentOf(app.baseEnv), INSTANCES);
    app.instances.forEach((instance, n) => {
      if (n > 0) chunks.push(COMMA);
      chunks.push(fragmentOf(instance));
    });
    chunks.push(CLOSE_APP);
  });
  chunks.push(CLOSE_STATE);
  return chunks;
}

/** The state file's text (see stateChunks). */
export function serializeState(state: PersistedState): string {
  return Buffer.concat(stateChunks(state)).toString('utf8');
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
