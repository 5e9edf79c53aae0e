/**
 * The app options that `start` (and `tend runtime`) take as flags, derived from the option
 * table (config/option-table.ts): which value a flag takes follows the option's kind, its help
 * is the option's doc (defaults included), and it sets that option. Only the spellings are
 * written here, keyed by option so that one naming no option fails to compile: PM2's, short
 * letters and all, which scripts already use.
 */
import { stringListKind } from '../config/option-kinds.js';
import { OPTIONS, type OptionKey } from '../config/option-table.js';

/** A spelling that sets a fixed value instead of the one the kind implies (`-x` is exec_mode: fork). */
interface FixedFlag {
  flags: string;
  value: unknown;
}

const SPELLINGS: { readonly [K in OptionKey]?: ReadonlyArray<string | FixedFlag> } = {
  name: ['--name <name>'],
  namespace: ['--namespace <namespace>'],
  cwd: ['--cwd <dir>'],
  interpreter: ['--interpreter <command>'],
  interpreter_args: ['--interpreter-args <args>', '--node-args <args>'],
  source_map_support: ['--source-map-support', '--enable-source-maps'],
  instances: ['-i, --instances <n>'],
  exec_mode: [{ flags: '-x, --execute-command', value: 'fork' }],
  instance_var: ['--instance-var <name>'],
  increment_var: ['--increment-var <name>'],
  port: ['-p, --port <port>'],
  filter_env: ['--filter-env [prefixes]'],
  min_uptime: ['--min-uptime <duration>'],
  max_restarts: ['--max-restarts <n>'],
  restart_delay: ['--restart-delay <duration>'],
  exp_backoff_restart_delay: ['--exp-backoff-restart-delay <duration>'],
  autorestart: ['--no-autorestart'],
  autostart: ['--no-autostart'],
  stop_exit_codes: ['--stop-exit-codes <codes>'],
  kill_timeout: ['-k, --kill-timeout <duration>'],
  kill_signal: ['--kill-signal <signal>'],
  listen_timeout: ['--listen-timeout <duration>'],
  wait_ready: ['--wait-ready'],
  listen: ['--listen <addresses>'],
  ready: ['--ready <protocol>'],
  watchdog_ms: ['--watchdog-ms <duration>'],
  shutdown_with_message: ['--shutdown-with-message'],
  treekill: ['--no-treekill'],
  watch: ['--watch [paths]'],
  ignore_watch: ['--ignore-watch <paths>'],
  watch_delay: ['--watch-delay <duration>'],
  max_memory_restart: ['--max-memory-restart <size>'],
  cron_restart: ['-c, --cron-restart <pattern>', '--cron <pattern>'],
  out_file: ['-o, --output <file>'],
  error_file: ['-e, --error <file>'],
  log_file: ['-l, --log <file>'],
  merge_logs: ['--merge-logs'],
  time: ['--time'],
  log_date_format: ['--log-date-format <format>'],
  log_type: ['--log-type <type>'],
  disable_logs: ['--disable-logs'],
  max_size: ['--max-size <size>'],
  retain: ['--retain <n>'],
  compress: ['--compress'],
  uid: ['--uid <uid>'],
  gid: ['--gid <gid>'],
  force: ['-f, --force'],
};

/**
 * How a flag's parsed value becomes its option: as given (the config validates strings with
 * the file's rules), split on commas (a list kind), true, false (`--no-x`), true or a list (an
 * optional value, `--watch [paths]`), or a fixed value.
 */
export type FlagTakes = 'value' | 'list' | 'on' | 'off' | 'on-or-list' | 'fixed';

export interface OptionFlag {
  /** Commander's spelling: `-k, --kill-timeout <duration>`. */
  flags: string;
  /** The ecosystem option it sets. */
  option: OptionKey;
  takes: FlagTakes;
  /** For `fixed`. */
  value?: unknown;
  /** `<option>: <its doc>` (`<option>: false. <doc>` for `--no-x`): what it sets and its default, as the option table says. */
  description: string;
}

function takesOf(flags: string, isList: boolean): FlagTakes {
  if (/--no-/.test(flags)) return 'off';
  if (flags.includes('[')) return 'on-or-list';
  if (flags.includes('<')) return isList ? 'list' : 'value';
  return 'on';
}

/** Every start flag of an app option, in the option table's order. */
export const OPTION_FLAGS: readonly OptionFlag[] = OPTIONS.flatMap((def) => {
  const spellings: ReadonlyArray<string | FixedFlag> = SPELLINGS[def.key] ?? [];
  return spellings.map((spelling): OptionFlag => {
    if (typeof spelling !== 'string') {
      return { flags: spelling.flags, option: def.key, takes: 'fixed', value: spelling.value, description: `${def.key}: ${String(spelling.value)}. ${def.doc}` };
    }
    const takes = takesOf(spelling, (def.kind as unknown) === stringListKind);
    return { flags: spelling, option: def.key, takes, description: `${def.key}${takes === 'off' ? ': false.' : ':'} ${def.doc}` };
  });
});
