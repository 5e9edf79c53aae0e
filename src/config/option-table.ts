/**
 * Every app option tend reads, once: canonical PM2 name, aliases, kind and the doc line that
 * the `AppConfig` type and the JSON Schema show. Options PM2 has but tend does not implement
 * are listed too, so none is ever silently ignored (see OPTION_NOTES).
 */
import {
  accountKind,
  combinedLogKind,
  cronKind,
  execModeKind,
  filterEnvKind,
  instancesKind,
  logPathKind,
  signalKind,
  watchKind,
  watchOptionsKind,
} from './app-option-kinds.js';
import { listenKind, probeKind } from './health-kinds.js';
import {
  argListKind,
  booleanKind,
  durationKind,
  envKind,
  exitCodesKind,
  integerKind,
  picklistKind,
  sizeKind,
  stringKind,
  stringListKind,
  type OptionKind,
} from './option-kinds.js';

export interface OptionDef<K extends string = string, T = unknown> {
  key: K;
  aliases?: readonly string[];
  kind: OptionKind<T>;
  doc: string;
}

function option<K extends string, T>(key: K, kind: OptionKind<T>, doc: string, aliases?: readonly string[]): OptionDef<K, T> {
  return aliases ? { key, kind, doc, aliases } : { key, kind, doc };
}

export const OPTIONS = [
  option('name', stringKind, 'App name. Default: the script file name without its extension.'),
  option('name_prefix', stringKind, 'Prefix joined to the name as `<prefix>:<name>`.'),
  option('namespace', stringKind, "Group of apps that commands can target together. Default: 'default'."),
  option('script', stringKind, 'Script or binary to run, resolved against cwd, then PATH. A value with spaces runs through `bash -c`.', ['exec', 'cmd', 'command']),
  option('args', argListKind, 'Arguments passed to the script: an array, or a string split like a shell would.'),
  option('interpreter', stringKind, "Program that runs the script. Default: by extension (.js node, .ts node+tsx, .py python3, .sh bash, .rb ruby). 'none' runs the script directly.", ['exec_interpreter']),
  option('interpreter_args', argListKind, 'Arguments for the interpreter (for node: flags such as --max-old-space-size=512).', ['node_args', 'interpreterArgs']),
  option('source_map_support', booleanKind, 'Run node with --enable-source-maps: stack traces point into your sources. Default: false.'),
  option('cwd', stringKind, "Working directory, relative to the config file's folder. Default: that folder (or the current directory on the command line)."),
  option('instances', instancesKind, "Number of instances; 0 or 'max' = one per CPU, -n = CPUs minus n. Default: 1."),
  option('exec_mode', execModeKind, "'fork' or 'cluster'. Default: fork, or cluster when instances is given and the interpreter is node."),
  option('env', envKind, 'Environment variables for the app. Objects are passed as JSON.'),
  option('env_file', stringListKind, 'Dotenv file(s) read into the environment, below `env` in precedence; relative to cwd.'),
  option('port', integerKind(1, 65535), 'Sets the PORT environment variable.'),
  option('instance_var', stringKind, "Variable holding the instance index. Default: 'NODE_APP_INSTANCE'."),
  option('increment_var', stringKind, 'Variable (e.g. PORT) incremented by one per instance from its configured value.'),
  option('filter_env', filterEnvKind, "true: do not pass the caller's environment; strings: drop variables whose names contain them."),
  option('append_env_to_name', booleanKind, 'Append `-<env>` to the name when started with `--env <env>`.'),
  option('out_file', logPathKind, "stdout log file. Default: <TEND_HOME>/logs/<name>-out.log; '/dev/null' discards.", ['out', 'output', 'out_log']),
  option('error_file', logPathKind, "stderr log file. Default: <TEND_HOME>/logs/<name>-error.log; '/dev/null' discards.", ['error', 'err', 'err_file', 'err_log']),
  option('log_file', combinedLogKind, 'Combined stdout+stderr log; true = <TEND_HOME>/logs/<name>.log. Default: none.', ['log']),
  option('merge_logs', booleanKind, 'One log file for all instances instead of one per instance. Default: false.', ['combine_logs']),
  option('log_date_zone', picklistKind(['local', 'utc'] as const), "Time zone of log timestamps: 'local' (with its offset) or 'utc'. Default: local."),
  option('force_color', booleanKind, 'Tell the app its output may use colours (FORCE_COLOR=1, CLICOLOR_FORCE=1), though it goes to a file. Default: false.'),
  option('log_date_format', stringKind, 'Timestamp format for log lines (YYYY MM DD HH mm ss SSS Z); turns `time` on.'),
  option('time', booleanKind, 'Prefix each log line with a timestamp. Default: false.'),
  option('log_type', picklistKind(['raw', 'json'] as const), "'json' writes each line as a JSON object. Default: 'raw'."),
  option('disable_logs', booleanKind, 'Discard stdout and stderr. Default: false.'),
  option('max_size', sizeKind, 'Rotate a log file when it passes this size (tend). Default: 0 = never.'),
  option('retain', integerKind(1), 'Rotated files kept per log file (tend). Default: 30.'),
  option('compress', booleanKind, 'Gzip rotated log files (tend). Default: false.'),
  option('rotate_interval', durationKind, "Rotate log files at this period as well, e.g. '1d' (tend). Default: 0 = never."),
  option('min_uptime', durationKind, 'An exit sooner than this after start counts as unstable. Default: 1000 ms.'),
  option('max_restarts', integerKind(0), 'Unstable restarts allowed before the app is errored. Default: 16.'),
  option('restart_delay', durationKind, 'Wait before restarting a crashed app. Default: 0.'),
  option('exp_backoff_restart_delay', durationKind, 'First delay of an exponential backoff (x1.5 per crash, cap 15 s). Default: off.'),
  option('autorestart', booleanKind, 'Restart the app when it exits. Default: true.'),
  option('autostart', booleanKind, 'Start the app when registered; false registers it stopped. Default: true.'),
  option('stop_exit_codes', exitCodesKind, 'Exit codes after which the app is not restarted.'),
  option('kill_timeout', durationKind, 'Time between the stop signal and SIGKILL. Default: 1600 ms.'),
  option('kill_signal', signalKind, "Signal sent to stop the app (tend). Default: 'SIGINT'."),
  option('listen_timeout', durationKind, 'How long to wait for `ready`/`listening` before the start fails. Default: 3000 ms.'),
  option('wait_ready', booleanKind, "Wait for process.send('ready') before the app counts as online. Default: false."),
  option('listen', listenKind, 'Sockets tend binds once and hands to every instance as fd 3 onwards (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES); kept open across restarts and reloads, closed on delete. Fork mode.'),
  option('ready', picklistKind(['notify', 'fd'] as const), "How the app says it is ready: 'notify' (sd_notify READY=1 on NOTIFY_SOCKET) or 'fd' (a newline on the fd in READY_FD). Fork mode."),
  option('watchdog_ms', durationKind, "With ready: 'notify': restart an instance that sends no WATCHDOG=1 for this long (WATCHDOG_USEC). Default: off."),
  option('readiness', probeKind, 'Probe that gates online and every rolling reload: { http | tcp | exec, period_ms, timeout_ms, failure_threshold, success_threshold, initial_delay_ms }.'),
  option('liveness', probeKind, 'Probe whose failures (failure_threshold in a row) restart the instance, cause liveness. Same fields as readiness.'),
  option('shutdown_with_message', booleanKind, "Stop by sending 'shutdown' over IPC instead of a signal. Default: false."),
  option('treekill', booleanKind, "Signal the app's whole process tree on stop. Default: true."),
  option('watch', watchKind, 'Restart on file changes: true = cwd, or paths relative to cwd. Default: false.'),
  option('ignore_watch', stringListKind, 'Paths or globs not watched. Default: node_modules and dotfiles.'),
  option('watch_delay', durationKind, 'Wait after a change before restarting. Default: 0.'),
  option('watch_options', watchOptionsKind, "chokidar's options for the watcher, e.g. { usePolling: true, interval: 1000 } on network drives."),
  option('max_memory_restart', sizeKind, "Restart when the app's memory passes this size, e.g. '300M'."),
  option('cron_restart', cronKind, 'Restart on this cron pattern (croner syntax, seconds allowed); 0 disables.', ['cron']),
  option('uid', accountKind, 'Run as this user (id or name); needs root.', ['user']),
  option('gid', accountKind, 'Run with this group (id or name); needs root.'),
  option('depends_on', stringListKind, 'Apps (names in this file or already running) that must be online before this one starts; stop and delete go in the reverse order.'),
  option('force', booleanKind, 'Allow starting a script that already runs under another name. Default: false.'),
] as const;

export type OptionKey = (typeof OPTIONS)[number]['key'];

type OutputOf<D> = D extends OptionDef<string, infer T> ? T : never;

/** Validated option values by canonical key; absent when the user did not give the option. */
export type ParsedOptions = {
  [D in (typeof OPTIONS)[number] as D['key']]?: OutputOf<D>;
};

const BY_NAME = new Map<string, OptionDef>();
for (const def of OPTIONS as readonly OptionDef[]) {
  BY_NAME.set(def.key, def);
  for (const alias of def.aliases ?? []) BY_NAME.set(alias, def);
}

/** The option a key (canonical or alias) names, if any. */
export function findOption(name: string): OptionDef | undefined {
  return BY_NAME.get(name);
}

export function allOptionNames(): string[] {
  return [...BY_NAME.keys()];
}
