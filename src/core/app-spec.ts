/**
 * The daemon's view of one app: every option resolved to its final value, paths absolute,
 * units explicit. Built once by `config/` (from flags or an ecosystem file) and stored by the
 * daemon; restarts reuse it unchanged.
 */
export type ExecMode = 'fork' | 'cluster';

export type LogType = 'raw' | 'json';

export interface LogSpec {
  /** Absolute path, or null when this stream is discarded (`/dev/null`, `disable_logs`). */
  outFile: string | null;
  errorFile: string | null;
  /** Combined out+err file (`log_file`), or null. */
  combinedFile: string | null;
  /** One file for every instance instead of one per instance id. */
  mergeLogs: boolean;
  /**
   * Files carry `-<id>`: the app was started with several instances. Kept when it scales, so
   * file names never change under `tend logs`. Absent in older specs: decided by the count.
   */
  perInstanceFiles?: boolean;
  /** Prefix every line with a timestamp. */
  time: boolean;
  /** Timestamp format (tokens YYYY MM DD HH mm ss SSS Z), null = ISO 8601 with ms. */
  dateFormat: string | null;
  /** `log_date_zone`: timestamps in local time (default) or UTC. Absent in older specs: local. */
  dateZone?: 'local' | 'utc';
  logType: LogType;
  /** Rotate when a file passes this many bytes; 0 = never by size. */
  maxSizeBytes: number;
  /** Rotated files kept per log file. */
  retain: number;
  /** Gzip rotated files. */
  compress: boolean;
  /** Rotate at this period (ms) as well; 0 = never by time. */
  rotateIntervalMs: number;
}

/** One socket tend binds for an app and hands to every instance (systemd's socket activation protocol). */
export interface ListenSpec {
  /** `tcp`: host and port; `unix`: an absolute path. */
  kind: 'tcp' | 'unix';
  host: string;
  port: number;
  path: string;
  /** The name in LISTEN_FDNAMES; default 'listen'. */
  name: string;
  /** The address as the user wrote it, for messages. */
  address: string;
}

/** What a probe checks: an HTTP GET to exactly this URL, a TCP connect, or a command (argument array, no shell). */
export type ProbeCheck = { type: 'http'; url: string } | { type: 'tcp'; host: string; port: number } | { type: 'exec'; argv: string[] };

/** A readiness or liveness probe, with Kubernetes' fields and units in ms. */
export interface ProbeSpec {
  check: ProbeCheck;
  periodMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  initialDelayMs: number;
}

/** How an app says it is ready besides `wait_ready`: sd_notify's READY=1, or a newline on READY_FD. */
export type ReadyProtocol = 'notify' | 'fd';

export interface AppSpec {
  name: string;
  namespace: string;
  /** Absolute path of the script or binary. */
  script: string;
  args: string[];
  /** Interpreter command (absolute path or name on PATH); null runs `script` directly. */
  interpreter: string | null;
  interpreterArgs: string[];
  cwd: string;
  execMode: ExecMode;
  /** Resolved instance count, at least 1. */
  instances: number;
  /** Environment the user configured (env, env_<name>, env_file, port), merged. */
  env: Record<string, string>;
  /** Name of the variable carrying the instance index (PM2's `instance_var`). */
  instanceVar: string;
  /** Variable incremented per instance from its configured value (e.g. PORT), or null. */
  incrementVar: string | null;

  autorestart: boolean;
  autostart: boolean;
  stopExitCodes: number[];
  minUptimeMs: number;
  maxRestarts: number;
  restartDelayMs: number;
  /** Initial exponential backoff delay; 0 = off. */
  expBackoffRestartDelayMs: number;

  killSignal: NodeJS.Signals;
  killTimeoutMs: number;
  shutdownWithMessage: boolean;
  waitReady: boolean;
  listenTimeoutMs: number;
  /**
   * The sockets handed to every instance as fd 3 onwards (fork mode). Optional: specs saved by
   * older versions have none; the same holds for the readiness and health fields below.
   */
  listen?: ListenSpec[];
  readyProtocol?: ReadyProtocol | null;
  /** With `ready: 'notify'`: an instance that sends no WATCHDOG=1 for this long is restarted; 0 = off. */
  watchdogMs?: number;
  readiness?: ProbeSpec | null;
  liveness?: ProbeSpec | null;
  treekill: boolean;

  logs: LogSpec;

  maxMemoryRestartBytes: number | null;
  /** Paths to watch (absolute), or null when watching is off. */
  watch: string[] | null;
  ignoreWatch: string[];
  watchDelayMs: number;
  /** chokidar options from `watch_options` (absent: chokidar's defaults). */
  watchOptions?: Record<string, unknown>;
  cronRestart: string | null;

  uid: number | null;
  gid: number | null;
  /** Allow starting the same script again under another name. */
  force: boolean;
  /** The ecosystem file this app came from, if any. */
  configFile: string | null;
  /**
   * The `--env <name>` the app was started with (null: none), so `restart`/`reload` of the file
   * keep env_<name> unless another `--env` is given. Absent in specs saved by older versions.
   */
  envName?: string | null;
  /**
   * filter_env: which of the caller's variables the app does not inherit (true: none of
   * them). Kept with the spec so `restart --update-env` filters the new snapshot the same way.
   * Absent in specs saved by older versions: nothing filtered.
   */
  filterEnv?: boolean | string[];
  /** depends_on: apps that must be online before this one starts. Absent in older specs: none. */
  dependsOn?: string[];
}

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_MIN_UPTIME_MS = 1000;
export const DEFAULT_MAX_RESTARTS = 16;
export const DEFAULT_KILL_TIMEOUT_MS = 1600;
export const DEFAULT_LISTEN_TIMEOUT_MS = 3000;
export const DEFAULT_KILL_SIGNAL: NodeJS.Signals = 'SIGINT';
export const DEFAULT_INSTANCE_VAR = 'NODE_APP_INSTANCE';
export const DEFAULT_PROBE_PERIOD_MS = 10_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 1000;
export const DEFAULT_PROBE_FAILURE_THRESHOLD = 3;
export const DEFAULT_PROBE_SUCCESS_THRESHOLD = 1;
export const EXP_BACKOFF_MULTIPLIER = 1.5;
export const EXP_BACKOFF_MAX_DELAY_MS = 15_000;
export const EXP_BACKOFF_RESET_UPTIME_MS = 30_000;
