import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { buildEnvSnapshot, findDefaultConfig, isConfigFile, loadConfigFile, loadConfigText, loadConfigValue, resolveApps } from '../config/index.js';
import type { AppConfig, EcosystemConfig, ResolvedConfig } from '../config/index.js';

/** An app config as a value: one app, a list of them, or `{ apps }` (what `defineConfig` takes). */
export type AppConfigValue = AppConfig | readonly AppConfig[] | EcosystemConfig;

export interface StartInput {
  /** A script, binary or config file; undefined looks for ecosystem.config.* in `cwd`. */
  target?: string;
  /** A config as JSON or YAML text (`tend start -`), instead of `target`. */
  configText?: string;
  /** A config as a value (the API's `start({ ... })`), instead of `target`; paths resolve against `cwd`. */
  config?: AppConfigValue;
  /** Ecosystem options from flags (PM2 names), applied to a script start. */
  appOptions?: Record<string, unknown>;
  /** Arguments for the script (after `--`). */
  args?: string[];
  envName?: string;
  only?: string[];
  cwd?: string;
  home: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface ResolvedStart {
  apps: Array<{ spec: AppSpec; baseEnv: Record<string, string> }>;
  warnings: string[];
  /** The config file the apps came from, if any. */
  configFile: string | null;
}

/** Turns a `start` request (script + flags, or a config file) into resolved apps and env snapshots. */
export async function resolveStart(input: StartInput): Promise<ResolvedStart> {
  const cwd = input.cwd ?? process.cwd();
  const processEnv = input.processEnv ?? process.env;
  const common = { tendHome: input.home, cpuCount: availableParallelism(), processEnv };
  const configFile = input.configText === undefined && input.config === undefined ? pickConfigFile(input.target, cwd) : null;
  let resolved: ResolvedConfig;
  if (input.config !== undefined) {
    resolved = loadConfigValue(input.config, cwd, { ...common, envName: input.envName, only: input.only });
  } else if (input.configText !== undefined) {
    resolved = await loadConfigText(input.configText, cwd, { ...common, envName: input.envName, only: input.only });
  } else if (configFile) {
    resolved = await loadConfigFile(configFile, { ...common, envName: input.envName, only: input.only });
  } else {
    const raw = { ...(input.appOptions ?? {}), script: input.target, ...(input.args && input.args.length > 0 ? { args: input.args } : {}) };
    resolved = resolveApps([raw], { ...common, cwd, envName: input.envName, source: 'command line' });
  }
  return {
    apps: resolved.apps.map((spec) => ({ spec, baseEnv: buildEnvSnapshot(processEnv, spec.filterEnv) })),
    warnings: resolved.warnings,
    configFile,
  };
}

function pickConfigFile(target: string | undefined, cwd: string): string | null {
  if (target === undefined) {
    const found = findDefaultConfig(cwd);
    if (!found) throw new TendError('CONFIG_NOT_FOUND', `no script given and no ecosystem.config.{js,cjs,mjs,ts,json,yaml,yml,toml} in ${cwd}`);
    return found;
  }
  return isConfigFile(target) ? resolve(cwd, target) : null;
}

/** True when a CLI target names an ecosystem file rather than an app, id or namespace. */
export function isConfigTarget(target: string): boolean {
  return isConfigFile(target);
}
