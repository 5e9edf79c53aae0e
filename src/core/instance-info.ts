import type { AppSpec, ExecMode } from './app-spec.js';
import type { PublicStatus } from './status.js';

/** One row of `jlist`: the public contract, snake_case on purpose. */
export interface InstanceInfo {
  id: number;
  name: string;
  namespace: string;
  pid: number | null;
  status: PublicStatus;
  mode: ExecMode;
  /** Index among the app's instances (the value of NODE_APP_INSTANCE). */
  instance: number;
  restarts: number;
  uptime_ms: number;
  /** Percent of one core over the last sample, for the whole process tree. */
  cpu: number;
  /** Resident bytes of the whole process tree at the last sample. */
  memory: number;
  exit_code: number | null;
  exit_signal: string | null;
  /** Why the instance is errored, when it is. */
  error: string | null;
  /** Time of the last start, ms since the epoch, or null. */
  started_at: number | null;
  /**
   * Whether the instance passes its readiness contract: the readiness probe's verdict while it
   * runs (it may turn false after online), else true once online; null when not running.
   */
  ready?: boolean | null;
  /** The last STATUS= an sd_notify app sent, or null. */
  status_text?: string | null;
  /** The last result of each probe the app has. */
  probes?: { readiness: ProbeResult | null; liveness: ProbeResult | null } | null;
  /**
   * When this daemon adopted the running process from a previous one (after a crash, or
   * `tend update`), ms since the epoch; null when it started the process itself.
   */
  adopted_at: number | null;
  /** The app (depends_on) a `waiting` instance waits for before it starts, or null. */
  waiting_for?: string | null;
  /** Why it waits, e.g. `waiting for db (launching)`; null when it does not wait for a dependency. */
  waiting_reason?: string | null;
  /** PM2's names for the same facts (`list` only), for tools written against `pm2 jlist`. */
  pm_id?: number;
  pm2_env?: Pm2Env;
  monit?: { memory: number; cpu: number };
}

/**
 * The part of PM2's `pm2_env` that its consumers read. Never carries environment values:
 * PM2 puts the app's variables here, tend does not (`tend env <id>` shows them).
 */
export interface Pm2Env {
  name: string;
  namespace: string;
  status: 'online' | 'launching' | 'stopping' | 'stopped' | 'errored' | 'waiting restart';
  pm_id: number;
  restart_time: number;
  unstable_restarts: number;
  /** ms since the epoch of the last start (0 when never started). */
  pm_uptime: number;
  created_at: number;
  exec_mode: 'fork_mode' | 'cluster_mode';
  instances: number;
  /** The instance index, as NODE_APP_INSTANCE. */
  NODE_APP_INSTANCE: number;
  pm_exec_path: string;
  pm_cwd: string;
  exec_interpreter: string;
  node_args: string[];
  args: string[];
  pm_out_log_path: string;
  pm_err_log_path: string;
  pm_log_path?: string;
  autorestart: boolean;
  watch: boolean | string[];
  max_memory_restart?: number;
  cron_restart?: string;
  exit_code?: number;
  version: string;
}

/** One probe's latest check. */
export interface ProbeResult {
  ok: boolean;
  /** Why it failed (status code, timeout, exit code), or null. */
  detail: string | null;
  /** Wall time of the check, ms since the epoch. */
  at: number;
  consecutive_failures: number;
}

export type RestartCause = 'crash' | 'memory' | 'watch' | 'cron' | 'manual' | 'ready-timeout' | 'liveness' | 'watchdog';

/** One entry of an instance's restart history, as `describe` shows it. */
export interface HistoryEntry {
  /** Wall time, ms since the epoch. */
  at: number;
  event: 'started' | 'exited' | 'restart-scheduled' | 'errored' | 'stopped' | 'spawn-failed' | 'adopted' | 'reloaded';
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  cause: RestartCause | null;
  detail: string | null;
}

/** `describe` of one instance, as the daemon sends it. */
export interface DescribeResult {
  info: InstanceInfo;
  spec: AppSpec;
  /** Every variable the instance gets; values are null unless asked for. */
  env: Record<string, string | null>;
  logFiles: { out: string | null; err: string | null; combined: string | null };
  logStats: { droppedLines: number; writtenBytes: number; lastError: string | null } | null;
  history: HistoryEntry[];
  recentStderr: string[];
}
