/** The inputs and outputs of config resolution, shared by the resolver and the file loader. */
import type { AppSpec } from '../core/app-spec.js';

export interface ResolveContext {
  /** Folder that relative `cwd` and `script` values resolve against. */
  cwd: string;
  tendHome: string;
  cpuCount: number;
  /** `--env <name>`: selects env_<name>. */
  envName?: string;
  /** A file path or 'command line', used in messages. */
  source?: string;
  /** The caller's environment; PATH is used to find scripts and interpreters. */
  processEnv: Record<string, string | undefined>;
  /** Recorded in each AppSpec's configFile. */
  configFile?: string;
}

/** An AppSpec whose `filterEnv` is always set: the caller builds the env snapshot with it. */
export type ResolvedApp = AppSpec & { filterEnv: boolean | string[] };

export interface ResolvedConfig {
  apps: ResolvedApp[];
  warnings: string[];
}
