import type { AppSpec } from '../core/app-spec.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import type { ProcessIdentity } from './kill-tree.js';

/** What the daemon persists so the next daemon can clean up and bring the same apps back. */
export interface PersistedState {
  version: 1;
  nextId: number;
  apps: PersistedApp[];
  /** Processes the daemon owns that are not instances (cluster hosts). */
  extraProcesses: ProcessIdentity[];
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
}

export function writeState(path: string, state: PersistedState): void {
  writeFileAtomic(path, `${JSON.stringify(state)}\n`);
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
