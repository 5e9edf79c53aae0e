import type { Command } from 'commander';
import type { StartInput } from '../api/resolve-start.js';

/**
 * The app options `start` (and `restart`/`reload` with a config) accept on the command line,
 * each mapped to the ecosystem option it sets. Values stay strings: the config module
 * validates flags and files with the same rules and messages.
 */
const VALUE_FLAGS: ReadonlyArray<[flags: string, description: string, option: string]> = [
  ['--name <name>', 'app name (default: the script name)', 'name'],
  ['--namespace <namespace>', 'namespace (default: "default")', 'namespace'],
  ['--cwd <dir>', 'working folder of the app', 'cwd'],
  ['--interpreter <command>', 'interpreter to run the script with ("none" to exec it)', 'interpreter'],
  ['--interpreter-args <args>', 'arguments for the interpreter', 'interpreter_args'],
  ['--node-args <args>', 'arguments for node (alias of --interpreter-args)', 'node_args'],
  ['-i, --instances <n>', 'instances: a number, "max" or a negative number (cluster mode for Node apps)', 'instances'],
  ['--instance-var <name>', 'variable holding the instance index (default NODE_APP_INSTANCE)', 'instance_var'],
  ['--increment-var <name>', 'variable incremented per instance (e.g. PORT)', 'increment_var'],
  ['-p, --port <port>', 'sets PORT', 'port'],
  ['--min-uptime <duration>', 'a run shorter than this counts as unstable (default 1000 ms)', 'min_uptime'],
  ['--max-restarts <n>', 'unstable restarts in a row before giving up (default 16)', 'max_restarts'],
  ['--restart-delay <duration>', 'delay before each restart', 'restart_delay'],
  ['--exp-backoff-restart-delay <duration>', 'exponential backoff: first delay (x1.5 each time, up to 15 s)', 'exp_backoff_restart_delay'],
  ['--stop-exit-codes <codes>', 'exit codes that do not trigger a restart (comma-separated)', 'stop_exit_codes'],
  ['-k, --kill-timeout <duration>', 'grace before SIGKILL on stop (default 1600 ms)', 'kill_timeout'],
  ['--kill-signal <signal>', 'signal sent on stop (default SIGINT)', 'kill_signal'],
  ['--listen <addresses>', 'sockets tend binds and hands to every instance as fd 3 onwards (comma-separated: 127.0.0.1:8080, [::1]:8080, unix:/path)', 'listen'],
  ['--ready <protocol>', 'readiness protocol: notify (sd_notify READY=1) or fd (a newline on READY_FD)', 'ready'],
  ['--watchdog-ms <duration>', 'with --ready notify: restart when no WATCHDOG=1 comes for this long', 'watchdog_ms'],
  ['--listen-timeout <duration>', 'time allowed to become ready (default 3000 ms)', 'listen_timeout'],
  ['--max-memory-restart <size>', 'restart when the process tree uses more memory (e.g. 300M)', 'max_memory_restart'],
  ['-c, --cron-restart <pattern>', 'restart on a cron schedule', 'cron_restart'],
  ['--cron <pattern>', 'alias of --cron-restart', 'cron_restart'],
  ['--watch-delay <duration>', 'quiet period before a watch restart', 'watch_delay'],
  ['-o, --output <file>', 'stdout log file', 'out_file'],
  ['-e, --error <file>', 'stderr log file', 'error_file'],
  ['-l, --log <file>', 'combined stdout+stderr log file', 'log_file'],
  ['--log-type <type>', 'raw or json', 'log_type'],
  ['--log-date-format <format>', 'timestamp format for log lines', 'log_date_format'],
  ['--max-size <size>', 'rotate log files past this size (e.g. 10M)', 'max_size'],
  ['--retain <n>', 'rotated log files kept', 'retain'],
  ['--uid <uid>', 'run as this user (needs root)', 'uid'],
  ['--gid <gid>', 'run as this group (needs root)', 'gid'],
];

const BOOLEAN_FLAGS: ReadonlyArray<[flags: string, description: string, option: string, value: boolean]> = [
  ['-x, --execute-command', 'force fork mode', 'exec_mode', false],
  ['--wait-ready', 'online only after the app sends "ready" (process.send)', 'wait_ready', true],
  ['--shutdown-with-message', 'stop with an IPC "shutdown" message instead of a signal', 'shutdown_with_message', true],
  ['--no-autorestart', 'do not restart the app when it exits', 'autorestart', false],
  ['--no-autostart', 'register the app without starting it', 'autostart', false],
  ['--no-treekill', 'signal only the main process, not its children', 'treekill', false],
  ['--merge-logs', 'one log file for all instances', 'merge_logs', true],
  ['--time', 'prefix log lines with a timestamp', 'time', true],
  ['--disable-logs', 'discard the app output', 'disable_logs', true],
  ['--compress', 'gzip rotated log files', 'compress', true],
  ['-f, --force', 'start the script again even if it already runs', 'force', true],
];

/** PM2 flags that change nothing in tend: accepted, with a note saying why. */
const NO_OP_FLAGS: ReadonlyArray<[flags: string, reason: string]> = [
  ['--no-vizion', 'tend collects no git metadata'],
  ['--no-pmx', 'tend injects no APM agent into apps'],
  ['--no-automation', 'tend injects no APM agent into apps'],
];

export function addStartFlags(command: Command): Command {
  for (const [flags, description] of VALUE_FLAGS) command.option(flags, description);
  for (const [flags, description] of BOOLEAN_FLAGS) command.option(flags, description);
  for (const [flags, reason] of NO_OP_FLAGS) command.option(flags, `accepted for PM2 scripts; does nothing (${reason})`);
  command.option('--source-map-support', 'run Node with --enable-source-maps (stack traces point into your sources)');
  command.option('--enable-source-maps', 'same as --source-map-support');
  command.option('--watch [paths]', 'restart on file changes (in the cwd, or these comma-separated paths)');
  command.option('--ignore-watch <paths>', 'paths or patterns the watcher ignores (comma-separated)');
  command.option('--filter-env [prefixes]', 'do not pass the shell environment (or only drop these prefixes)');
  command.option('--env <name>', 'use env_<name> from the config file');
  command.option('--only <apps>', 'only these apps of the config file (comma-separated)');
  return command;
}

/** Flags given on the command line, as ecosystem options (what was not given is left out). */
export function flagsToAppOptions(flags: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [flagSpec, , option] of VALUE_FLAGS) {
    const value = flags[attributeName(flagSpec)];
    if (value !== undefined) options[option] = value;
  }
  for (const [flagSpec, , option, value] of BOOLEAN_FLAGS) {
    const given = flags[attributeName(flagSpec)];
    // Commander sets --no-x flags to true by default; only a given flag flips them.
    if (flagSpec.includes('--no-') ? given === false : given === true) {
      options[option] = option === 'exec_mode' ? 'fork' : value;
    }
  }
  if (flags.watch !== undefined) options.watch = typeof flags.watch === 'string' ? flags.watch.split(',') : true;
  if (typeof flags.ignoreWatch === 'string') options.ignore_watch = flags.ignoreWatch.split(',');
  if (flags.filterEnv !== undefined) options.filter_env = typeof flags.filterEnv === 'string' ? flags.filterEnv.split(',') : true;
  if (flags.sourceMapSupport === true || flags.enableSourceMaps === true) {
    const key = options.node_args !== undefined ? 'node_args' : 'interpreter_args';
    options[key] = `${typeof options[key] === 'string' ? options[key] : ''} --enable-source-maps`.trim();
  }
  return options;
}

/** One line per no-op PM2 flag given (`--no-vizion`...), saying that it does nothing here. */
export function noOpFlagNotes(flags: Record<string, unknown>): string[] {
  return NO_OP_FLAGS.filter(([spec]) => flags[attributeName(spec)] === false).map(([spec, reason]) => `${spec.trim()} does nothing in tend: ${reason}`);
}

/** Commander's attribute for a flag spec: `--kill-timeout <d>` → killTimeout, `--no-treekill` → treekill. */
function attributeName(flagSpec: string): string {
  const long = flagSpec.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? '';
  const bare = long.replace(/^--(no-)?/, '');
  return bare.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** What `start` and `tend-runtime` send to resolveStart, from their identical flags. */
export function startInputFromFlags(target: string | undefined, args: string[], flags: Record<string, unknown>, home: string): StartInput {
  return {
    target,
    args,
    appOptions: flagsToAppOptions(flags),
    envName: flags.env as string | undefined,
    only: typeof flags.only === 'string' ? flags.only.split(',') : undefined,
    home,
  };
}
