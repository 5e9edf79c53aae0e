import type { AppSpec } from '../core/app-spec.js';
import type { HistoryEntry, InstanceInfo, Pm2Env } from '../core/instance-info.js';

/** What the daemon knows about an instance beyond its `list` row. */
export interface Pm2Facts {
  spec: AppSpec;
  logFiles: { out: string | null; err: string | null; combined: string | null };
  history: readonly HistoryEntry[];
  version: string;
}

/**
 * Adds PM2's field names to a `list` row (`pm_id`, `pm2_env.*`, `monit.*`), so scripts and
 * integrations that read `pm2 jlist` keep working against tend. Additive: tend's own fields
 * stay as they are. No environment values, unlike PM2.
 *
 * The row is changed in place and returned (Supervisor.info makes a fresh one for each call).
 * A copy with the object spread cost a `list` of 1,000 apps ~6 ms, and its copies, too many
 * properties for V8's fast object layout, took ~1.6x as long to encode as JSON (measured).
 */
export function withPm2Fields(info: InstanceInfo, facts: Pm2Facts): InstanceInfo {
  const { spec, logFiles, history } = facts;
  const env: Pm2Env = {
    name: info.name,
    namespace: info.namespace,
    status: info.status === 'waiting' ? 'waiting restart' : info.status,
    pm_id: info.id,
    restart_time: info.restarts,
    unstable_restarts: countUnstableRestarts(history, spec.minUptimeMs),
    pm_uptime: info.started_at ?? 0,
    created_at: firstKnownStart(history, info.started_at),
    exec_mode: spec.execMode === 'cluster' ? 'cluster_mode' : 'fork_mode',
    instances: spec.instances,
    NODE_APP_INSTANCE: info.instance,
    pm_exec_path: spec.script,
    pm_cwd: spec.cwd,
    exec_interpreter: spec.interpreter ?? 'none',
    node_args: spec.interpreterArgs,
    args: spec.args,
    pm_out_log_path: logFiles.out ?? '/dev/null',
    pm_err_log_path: logFiles.err ?? '/dev/null',
    autorestart: spec.autorestart,
    watch: spec.watch ?? false,
    version: facts.version,
  };
  if (logFiles.combined) env.pm_log_path = logFiles.combined;
  if (spec.maxMemoryRestartBytes !== null) env.max_memory_restart = spec.maxMemoryRestartBytes;
  if (spec.cronRestart !== null) env.cron_restart = spec.cronRestart;
  if (info.exit_code !== null) env.exit_code = info.exit_code;
  info.pm_id = info.id;
  info.pm2_env = env;
  info.monit = { memory: info.memory, cpu: info.cpu };
  return info;
}

/**
 * Restarts that followed a run shorter than `min_uptime`, over the kept history (PM2's
 * `unstable_restarts`): an `exited` entry less than minUptimeMs after its `started`, followed
 * by a scheduled restart.
 */
export function countUnstableRestarts(history: readonly HistoryEntry[], minUptimeMs: number): number {
  let count = 0;
  let startedAt: number | null = null;
  let shortExit = false;
  for (const entry of history) {
    if (entry.event === 'started') startedAt = entry.at;
    else if (entry.event === 'exited') shortExit = startedAt !== null && entry.at - startedAt < minUptimeMs;
    else if (entry.event === 'restart-scheduled' && (entry.cause === 'crash' || entry.cause === 'ready-timeout')) {
      if (shortExit) count += 1;
      shortExit = false;
    }
  }
  return count;
}

/** The earliest start the daemon knows of (its history is bounded): PM2's `created_at`. */
function firstKnownStart(history: readonly HistoryEntry[], lastStartMs: number | null): number {
  const times = [history[0]?.at, lastStartMs ?? undefined].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : 0;
}
