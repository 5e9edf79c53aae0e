/**
 * Loads an ecosystem file of any supported format into validated apps. Relative `cwd` and
 * `script` values resolve against the file's folder, which is what users expect and what a
 * config started from another directory needs (PM2 used the shell's directory).
 */
import { dirname, resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import { readConfigText } from './config-text.js';
import { extractApps, unwrapModule } from './config-shape.js';
import { configFormat } from './find-config.js';
import { loadModuleConfig } from './load-module-config.js';
import { parseDataConfig } from './parse-data-config.js';
import { resolveEach, toConfig } from './resolve-apps.js';
import type { ResolveContext, ResolvedConfig } from './types.js';

export interface LoadConfigOptions {
  envName?: string;
  /** `--only a,b`: keep these apps (by name, before append_env_to_name). */
  only?: string[];
  tendHome: string;
  cpuCount: number;
  processEnv: Record<string, string | undefined>;
}

export async function loadConfigFile(file: string, opts: LoadConfigOptions): Promise<ResolvedConfig> {
  const path = resolve(file);
  const label = file;
  const text = readConfigText(path, label);
  const format = configFormat(path);
  const loaded = format === 'module' ? unwrapModule(await loadModuleConfig(path, label)) : await parseDataConfig(text, format, label);
  return resolveLoaded(loaded, label, dirname(path), path, opts);
}

/**
 * A config given as text (`tend start -` reads it from stdin): JSON when it starts with `{` or
 * `[`, YAML otherwise; data only, never evaluated. Relative paths resolve against `cwd`.
 */
export async function loadConfigText(text: string, cwd: string, opts: LoadConfigOptions): Promise<ResolvedConfig> {
  const label = '<stdin>';
  const format = /^\s*[[{]/.test(text) ? 'json' : 'yaml';
  return resolveLoaded(await parseDataConfig(text, format, label), label, cwd, null, opts);
}

/**
 * A config given as a value (the programmatic API's `start({ ... })`): an app, a list of apps
 * or `{ apps }`, as an ecosystem file exports it. Relative paths resolve against `cwd`.
 */
export function loadConfigValue(value: unknown, cwd: string, opts: LoadConfigOptions): ResolvedConfig {
  return resolveLoaded(value, 'the app config', cwd, null, opts);
}

function resolveLoaded(loaded: unknown, label: string, cwd: string, path: string | null, opts: LoadConfigOptions): ResolvedConfig {
  const { apps: rawApps, warnings } = extractApps(loaded, label);
  const ctx: ResolveContext = {
    cwd,
    tendHome: opts.tendHome,
    cpuCount: opts.cpuCount,
    source: label,
    processEnv: opts.processEnv,
    ...(path === null ? {} : { configFile: path }),
    ...(opts.envName === undefined ? {} : { envName: opts.envName }),
  };
  let resolutions = resolveEach(rawApps, ctx);
  if (opts.only !== undefined && opts.only.length > 0) {
    const wanted = new Set(opts.only);
    const known = new Set(resolutions.flatMap((r) => [r.baseName, r.app.name]));
    const missing = opts.only.filter((name) => !known.has(name));
    if (missing.length > 0) {
      const names = resolutions.map((r) => r.baseName).join(', ');
      throw new TendError('INVALID_ARGUMENT', `${label}: --only ${missing.join(',')}: no such app (apps: ${names})`);
    }
    resolutions = resolutions.filter((r) => wanted.has(r.baseName) || wanted.has(r.app.name));
  }
  const config = toConfig(resolutions, ctx);
  return { apps: config.apps, warnings: [...warnings, ...config.warnings] };
}
