/**
 * PM2's saved process list (`dump.pm2`) to tend's raw app options. The dump holds one entry per
 * *process* (a cluster app of 4 is 4 entries), each the process's whole pm2_env: the options
 * under PM2's names, PM2's bookkeeping, the merged environment, and that environment once more
 * flattened at the top level. This keeps the options, counts the instances, drops the
 * bookkeeping, and splits the environment: what differs from the importing shell is the app's
 * own (`env`), the rest is the snapshot it inherits (`baseEnv`). The raw options then go through
 * the ordinary config resolution, which validates them and warns about PM2 options with no
 * meaning in tend. Values are never put in a message.
 */
import { TendError } from '../core/errors.js';
import { buildEnvSnapshot } from './env-build.js';
import { ConfigProblems, problemsOf } from './problems.js';
import { resolveApp } from './resolve-app.js';
import type { ResolveContext, ResolvedApp } from './types.js';

export interface Pm2ImportedApp {
  name: string;
  /** The app under PM2's option names, as an ecosystem file would hold it. */
  raw: Record<string, unknown>;
  /** The inherited environment, PM2's own variables removed. */
  baseEnv: Record<string, string>;
}

export interface Pm2Mapping {
  apps: Pm2ImportedApp[];
  /** Entries left out, with why (PM2 modules, entries without a name or script). */
  skipped: string[];
}

/** PM2's record keeping: never options. */
const BOOKKEEPING = new Set([
  'status', 'pm_uptime', 'created_at', 'restart_time', 'unstable_restarts', 'prev_restart_delay', 'exit_code',
  '_pm2_version', 'version', 'node_version', 'unique_id', 'km_link', 'vizion_running', 'versioning',
  'pm_id', 'pm_pid_path', 'instances', 'env', 'pm_exec_path', 'pm_cwd', 'exec_interpreter',
  'pm_out_log_path', 'pm_err_log_path', 'pm_log_path', 'axm_actions', 'axm_monitor', 'axm_options', 'axm_dynamic',
  'pmx_module', 'restart_delay_backoff', 'username',
]);

/** Values PM2 writes for every app: reporting them would say nothing about the user's config. */
const PM2_DEFAULTS: Readonly<Record<string, unknown>> = { vizion: true, pmx: true, automation: true, windowsHide: true, kill_retry_time: 100 };

/** Variables of the shell that ran PM2, never the app's own configuration. */
const SHELL_VARIABLES = new Set(['PATH', 'PWD', 'OLDPWD', '_', 'SHLVL', 'HOME', 'SHELL', 'TERM', 'LANG', 'USER', 'LOGNAME', 'HOSTNAME']);

type Entry = Record<string, unknown>;

export function mapPm2Dump(entries: readonly unknown[], importerEnv: Record<string, string | undefined>): Pm2Mapping {
  const groups = new Map<string, Entry[]>();
  const skipped: string[] = [];
  entries.forEach((value, index) => {
    const entry = isRecord(value) ? value : null;
    const name = entry?.name;
    if (entry === null || typeof name !== 'string' || name === '' || typeof entry.pm_exec_path !== 'string') {
      skipped.push(`entry #${index}: no name or script`);
    } else if (entry.pmx_module === true) {
      skipped.push(`${name}: a PM2 module (tend has no modules)`);
    } else groups.set(name, [...(groups.get(name) ?? []), entry]);
  });
  const apps = [...groups.entries()].map(([name, group]) => mapApp(name, group, importerEnv));
  return { apps, skipped: [...new Set(skipped)] };
}

function mapApp(name: string, group: Entry[], importerEnv: Record<string, string | undefined>): Pm2ImportedApp {
  // Every entry of an app carries the same options; the first also has increment_var's base value.
  const first = group[0] as Entry;
  const dumpedEnv = isRecord(first.env) ? first.env : {};
  const fullEnv = readEnv(dumpedEnv, name, instanceVar(first));
  const raw: Record<string, unknown> = { name, script: first.pm_exec_path };
  if (typeof first.pm_cwd === 'string') raw.cwd = first.pm_cwd;
  if (typeof first.exec_interpreter === 'string') raw.interpreter = first.exec_interpreter;
  raw.instances = group.length;
  for (const [key, value] of Object.entries(first)) {
    if (BOOKKEEPING.has(key) || Object.hasOwn(dumpedEnv, key) || key === instanceVar(first) || value === undefined) continue;
    if (Object.hasOwn(PM2_DEFAULTS, key) && PM2_DEFAULTS[key] === value) continue;
    if (isEmptyList(value) || value === null) continue;
    raw[key] = value;
  }
  Object.assign(raw, customLogFiles(first));
  const own: Record<string, string> = {};
  const baseEnv: Record<string, string> = {};
  for (const [variable, value] of Object.entries(fullEnv)) {
    baseEnv[variable] = value;
    if (!SHELL_VARIABLES.has(variable) && importerEnv[variable] !== value) own[variable] = value;
  }
  if (Object.keys(own).length > 0) raw.env = own;
  return { name, raw, baseEnv };
}

function instanceVar(entry: Entry): string {
  return typeof entry.instance_var === 'string' ? entry.instance_var : 'NODE_APP_INSTANCE';
}

/** The environment of an entry without PM2's own variables (PM2_*, ids, the per-app object). */
function readEnv(env: Record<string, unknown>, name: string, instanceVariable: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, value] of Object.entries(env)) {
    if (/^PM2_/.test(variable) || variable === 'unique_id' || variable === 'pm_id' || variable === name || variable === instanceVariable) continue;
    if (typeof value === 'string') out[variable] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[variable] = String(value);
  }
  return out;
}

/**
 * Log paths outside PM2's own logs folder were chosen by the user and are kept; the default ones
 * (`<PM2_HOME>/logs/<name>-out-<id>.log`) become tend's defaults.
 */
function customLogFiles(entry: Entry): Record<string, string> {
  const out: Record<string, string> = {};
  const pairs: Array<[string, string]> = [['pm_out_log_path', 'out_file'], ['pm_err_log_path', 'error_file'], ['pm_log_path', 'log_file']];
  for (const [key, option] of pairs) {
    const path = entry[key];
    if (typeof path === 'string' && path !== '' && !/\/\.?pm2[^/]*\/logs\//.test(path) && !isPm2Default(path, entry)) out[option] = path;
  }
  return out;
}

/** PM2_HOME may be anywhere: a path in the same folder as the pid file is in PM2's home. */
function isPm2Default(path: string, entry: Entry): boolean {
  const pidPath = typeof entry.pm_pid_path === 'string' ? entry.pm_pid_path : null;
  if (pidPath === null) return false;
  const home = pidPath.replace(/\/pids\/[^/]*$/, '');
  return path.startsWith(`${home}/logs/`);
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ResolvedPm2Apps {
  apps: Array<{ spec: ResolvedApp; baseEnv: Record<string, string> }>;
  warnings: string[];
  /** One line per app that could not be imported, with why. */
  problems: string[];
}

/** Each mapped app through tend's config resolution; a bad app is reported, the others imported. */
export function resolvePm2Apps(mapping: Pm2Mapping, ctx: ResolveContext): ResolvedPm2Apps {
  const result: ResolvedPm2Apps = { apps: [], warnings: [], problems: [] };
  mapping.apps.forEach((app, index) => {
    try {
      const resolved = resolveApp(app.raw, { source: ctx.source ?? 'dump.pm2', index, name: app.name }, ctx);
      result.warnings.push(...resolved.warnings);
      result.apps.push({ spec: resolved.app, baseEnv: buildEnvSnapshot(app.baseEnv, resolved.app.filterEnv) });
    } catch (error) {
      if (!(error instanceof TendError)) throw error;
      if (error instanceof ConfigProblems) result.warnings.push(...error.warnings);
      result.problems.push(...problemsOf(error).map((p) => p.message));
    }
  });
  return result;
}
