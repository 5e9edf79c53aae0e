/**
 * `tend apply`: what it takes to make the running apps match a config file. A pure function of
 * the file's specs and the daemon's specs, so every case is a row in a table test.
 *
 * Each changed app gets the least disruptive action that applies its change: a different
 * instance count alone is a scale; env or options are a restart (one fork instance) or a rolling
 * reload (cluster apps, or several fork instances, one at a time); script, cwd, args or
 * interpreter the same rolling reload, whose new instances run the new spec. Only a change of
 * exec mode cannot be made in place: that app is deleted and started anew. Unchanged apps are
 * not touched. The caller's environment snapshot is not compared: it holds the shell's noise
 * (PWD, SHLVL, OLDPWD) and would make every apply restart everything.
 */
import type { AppSpec, LogSpec } from '../core/app-spec.js';
import { startOrder } from './dependencies.js';

export interface SpecChange {
  /** The option as the config file names it (`kill_timeout`, `env.API_URL`). */
  option: string;
  /** Old and new value, only for numbers, booleans and a few enums: env values, args and paths may hold secrets. */
  from?: string;
  to?: string;
}

export type ApplyStep =
  | { kind: 'start'; name: string }
  | { kind: 'update'; name: string; changes: SpecChange[]; how: 'restart' | 'reload' | null; scale: { from: number; to: number } | null }
  | { kind: 'replace'; name: string; changes: SpecChange[] }
  | { kind: 'delete'; name: string };

export interface ApplyPlan {
  steps: ApplyStep[];
  /** Apps of this file that are no longer in it, left running because --prune was not given. */
  leftOver: string[];
}

export interface PlanInput {
  desired: readonly AppSpec[];
  running: readonly AppSpec[];
  /** Absolute path of the file: apps whose configFile is this one are the file's apps. */
  file: string;
  prune: boolean;
}

export function planApply(input: PlanInput): ApplyPlan {
  const runningByName = new Map(input.running.map((spec) => [spec.name, spec]));
  const desiredNames = new Set(input.desired.map((spec) => spec.name));
  const gone = input.running.filter((spec) => spec.configFile === input.file && !desiredNames.has(spec.name)).map((spec) => spec.name);
  const steps: ApplyStep[] = input.prune ? gone.map((name) => ({ kind: 'delete', name })) : [];
  // Dependencies first, so new apps are started after the apps they depend on.
  const order = startOrder(input.desired.map((spec) => ({ name: spec.name, dependsOn: spec.dependsOn ?? [] })));
  const desired = order.map((name) => input.desired.find((spec) => spec.name === name) as AppSpec);
  for (const spec of desired) {
    const current = runningByName.get(spec.name);
    const step = current === undefined ? ({ kind: 'start', name: spec.name } as const) : planChange(current, spec);
    if (step !== null) steps.push(step);
  }
  return { steps, leftOver: input.prune ? [] : gone };
}

function planChange(current: AppSpec, wanted: AppSpec): ApplyStep | null {
  const changes = diffSpecs(current, wanted);
  const scale = current.instances === wanted.instances ? null : { from: current.instances, to: wanted.instances };
  if (changes.length === 0 && scale === null) return null;
  if (current.execMode !== wanted.execMode) return { kind: 'replace', name: wanted.name, changes };
  if (changes.length === 0) return { kind: 'update', name: wanted.name, changes, how: null, scale };
  const rolling = wanted.execMode === 'cluster' || Math.min(current.instances, wanted.instances) > 1;
  return { kind: 'update', name: wanted.name, changes, how: rolling ? 'reload' : 'restart', scale };
}

/** The config-file name of each spec field; a field added to AppSpec must be named here. */
const OPTION_OF: Readonly<Record<Exclude<keyof AppSpec, 'name' | 'instances' | 'env' | 'logs'>, string>> = {
  namespace: 'namespace',
  script: 'script',
  args: 'args',
  interpreter: 'interpreter',
  interpreterArgs: 'interpreter_args',
  cwd: 'cwd',
  execMode: 'exec_mode',
  instanceVar: 'instance_var',
  incrementVar: 'increment_var',
  autorestart: 'autorestart',
  autostart: 'autostart',
  stopExitCodes: 'stop_exit_codes',
  minUptimeMs: 'min_uptime',
  maxRestarts: 'max_restarts',
  restartDelayMs: 'restart_delay',
  expBackoffRestartDelayMs: 'exp_backoff_restart_delay',
  killSignal: 'kill_signal',
  killTimeoutMs: 'kill_timeout',
  shutdownWithMessage: 'shutdown_with_message',
  waitReady: 'wait_ready',
  listenTimeoutMs: 'listen_timeout',
  treekill: 'treekill',
  maxMemoryRestartBytes: 'max_memory_restart',
  watch: 'watch',
  ignoreWatch: 'ignore_watch',
  watchDelayMs: 'watch_delay',
  cronRestart: 'cron_restart',
  uid: 'uid',
  gid: 'gid',
  force: 'force',
  configFile: 'config file',
  filterEnv: 'filter_env',
  dependsOn: 'depends_on',
  watchOptions: 'watch_options',
  envName: '--env name',
  listen: 'listen',
  readyProtocol: 'ready',
  watchdogMs: 'watchdog_ms',
  readiness: 'readiness',
  liveness: 'liveness',
};

/** null: derived at start and kept (log file names follow the instance count the app started with), never a change. */
const LOG_OPTION_OF: Readonly<Record<keyof LogSpec, string | null>> = {
  outFile: 'out_file',
  errorFile: 'error_file',
  combinedFile: 'log_file',
  mergeLogs: 'merge_logs',
  time: 'time',
  dateFormat: 'log_date_format',
  logType: 'log_type',
  maxSizeBytes: 'max_size',
  perInstanceFiles: null,
  dateZone: 'log_date_zone',
  retain: 'retain',
  compress: 'compress',
  rotateIntervalMs: 'rotate_interval',
};

/** Options whose values are safe and short enough to show. */
const SHOWN_STRINGS = new Set(['exec_mode', 'kill_signal', 'log_type', 'namespace']);

/** Every option that differs, env variables by name; instances are left to the scale. */
export function diffSpecs(current: AppSpec, wanted: AppSpec): SpecChange[] {
  const changes: SpecChange[] = [];
  for (const [field, option] of Object.entries(OPTION_OF) as Array<[keyof typeof OPTION_OF, string]>) {
    const from = normalise(field, current[field]);
    const to = normalise(field, wanted[field]);
    if (!isEqual(from, to)) changes.push(describeChange(option, from, to));
  }
  for (const [field, option] of Object.entries(LOG_OPTION_OF) as Array<[keyof LogSpec, string | null]>) {
    if (option !== null && !isEqual(current.logs[field], wanted.logs[field])) changes.push(describeChange(option, current.logs[field], wanted.logs[field]));
  }
  const names = [...new Set([...Object.keys(current.env), ...Object.keys(wanted.env)])].sort();
  for (const name of names) if (current.env[name] !== wanted.env[name]) changes.push({ option: `env.${name}` });
  return changes;
}

/** Specs saved by older versions lack filterEnv ("nothing filtered") and dependsOn ("none"). */
function normalise(field: keyof AppSpec, value: unknown): unknown {
  if (value !== undefined) return value;
  if (field === 'filterEnv') return false;
  return field === 'dependsOn' ? [] : value;
}

function describeChange(option: string, from: unknown, to: unknown): SpecChange {
  const shown = (value: unknown) => typeof value === 'number' || typeof value === 'boolean' || value === null || (SHOWN_STRINGS.has(option) && typeof value === 'string');
  return shown(from) && shown(to) ? { option, from: String(from), to: String(to) } : { option };
}

export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && isEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The plan as the short diff `apply` prints before acting: `+ api`, `~ web: env.API_URL, instances 2 -> 4`, `- old`. */
export function renderPlan(plan: ApplyPlan): string[] {
  const lines = plan.steps.map((step) => {
    switch (step.kind) {
      case 'start':
        return `+ ${step.name}`;
      case 'delete':
        return `- ${step.name}`;
      case 'replace':
        return `~ ${step.name}: ${step.changes.map(renderChange).join(', ')} (deleted and started again: exec_mode cannot change in place)`;
      case 'update': {
        const parts = step.changes.map(renderChange);
        if (step.scale) parts.push(`instances ${step.scale.from} -> ${step.scale.to}`);
        return `~ ${step.name}: ${parts.join(', ')}`;
      }
    }
  });
  for (const name of plan.leftOver) lines.push(`  ${name}: no longer in the file, left running (--prune deletes it)`);
  return lines;
}

function renderChange(change: SpecChange): string {
  return change.from === undefined ? change.option : `${change.option} ${change.from} -> ${change.to}`;
}
