import type { InstanceInfo } from './instance-info.js';

/** Reply of `save`: where the list went and how much of it there was. */
export interface SaveResult {
  file: string;
  apps: number;
  instances: number;
}

/** Reply of `resurrect`. */
export interface ResurrectResult {
  /** Set when dump.json was unusable and its backup was read instead. */
  warning: string | null;
  /** Apps started from the dump. */
  started: string[];
  /** Saved apps left alone because an app of that name is already registered. */
  skipped: string[];
  instances: InstanceInfo[];
}

export interface ClearDumpResult {
  file: string;
  removed: boolean;
}

/** Reply of `dump.add`: apps added to the saved list, and names already in it (left as they were). */
export interface DumpAddResult {
  file: string;
  added: string[];
  skipped: string[];
}
