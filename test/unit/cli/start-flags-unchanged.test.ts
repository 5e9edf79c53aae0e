/**
 * The flags of `tend start` (and `tend runtime`, which shares them), recorded before they were
 * derived from config/option-table.ts: the same flags must be offered, and each must set the
 * same ecosystem option to the same value. A new option that gets a flag adds a line here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { addStartFlags, flagsToAppOptions } from '../../../src/cli/start-flags.js';
import { findOption } from '../../../src/config/option-table.js';

const FLAGS = [
  '--compress',
  '--cron <pattern>',
  '--cwd <dir>',
  '--disable-logs',
  '--enable-source-maps',
  '--env <name>',
  '--exp-backoff-restart-delay <duration>',
  '--filter-env [prefixes]',
  '--gid <gid>',
  '--ignore-watch <paths>',
  '--increment-var <name>',
  '--instance-var <name>',
  '--interpreter <command>',
  '--interpreter-args <args>',
  '--kill-signal <signal>',
  '--listen <addresses>',
  '--listen-timeout <duration>',
  '--log-date-format <format>',
  '--log-type <type>',
  '--max-memory-restart <size>',
  '--max-restarts <n>',
  '--max-size <size>',
  '--merge-logs',
  '--min-uptime <duration>',
  '--name <name>',
  '--namespace <namespace>',
  '--no-automation',
  '--no-autorestart',
  '--no-autostart',
  '--no-pmx',
  '--no-treekill',
  '--no-vizion',
  '--node-args <args>',
  '--only <apps>',
  '--ready <protocol>',
  '--restart-delay <duration>',
  '--retain <n>',
  '--shutdown-with-message',
  '--source-map-support',
  '--stop-exit-codes <codes>',
  '--time',
  '--uid <uid>',
  '--wait-ready',
  '--watch [paths]',
  '--watch-delay <duration>',
  '--watchdog-ms <duration>',
  '-c, --cron-restart <pattern>',
  '-e, --error <file>',
  '-f, --force',
  '-i, --instances <n>',
  '-k, --kill-timeout <duration>',
  '-l, --log <file>',
  '-o, --output <file>',
  '-p, --port <port>',
  '-x, --execute-command',
];

/** What each flag alone sets (keys as canonical option names; values as typed, `x,y` for a value flag). */
const EACH: Record<string, Record<string, unknown>> = {
  '--name': { name: 'x,y' },
  '--namespace': { namespace: 'x,y' },
  '--cwd': { cwd: 'x,y' },
  '--interpreter': { interpreter: 'x,y' },
  '--interpreter-args': { interpreter_args: 'x,y' },
  '--node-args': { interpreter_args: 'x,y' },
  '--instances': { instances: '2' },
  '--instance-var': { instance_var: 'x,y' },
  '--increment-var': { increment_var: 'x,y' },
  '--port': { port: 'x,y' },
  '--min-uptime': { min_uptime: 'x,y' },
  '--max-restarts': { max_restarts: 'x,y' },
  '--restart-delay': { restart_delay: 'x,y' },
  '--exp-backoff-restart-delay': { exp_backoff_restart_delay: 'x,y' },
  '--stop-exit-codes': { stop_exit_codes: 'x,y' },
  '--kill-timeout': { kill_timeout: 'x,y' },
  '--kill-signal': { kill_signal: 'x,y' },
  '--listen': { listen: 'x,y' },
  '--ready': { ready: 'x,y' },
  '--watchdog-ms': { watchdog_ms: 'x,y' },
  '--listen-timeout': { listen_timeout: 'x,y' },
  '--max-memory-restart': { max_memory_restart: 'x,y' },
  '--cron-restart': { cron_restart: 'x,y' },
  '--cron': { cron_restart: 'x,y' },
  '--watch-delay': { watch_delay: 'x,y' },
  '--output': { out_file: 'x,y' },
  '--error': { error_file: 'x,y' },
  '--log': { log_file: 'x,y' },
  '--log-type': { log_type: 'x,y' },
  '--log-date-format': { log_date_format: 'x,y' },
  '--max-size': { max_size: 'x,y' },
  '--retain': { retain: 'x,y' },
  '--uid': { uid: 'x,y' },
  '--gid': { gid: 'x,y' },
  '--execute-command': { exec_mode: 'fork' },
  '--wait-ready': { wait_ready: true },
  '--shutdown-with-message': { shutdown_with_message: true },
  '--no-autorestart': { autorestart: false },
  '--no-autostart': { autostart: false },
  '--no-treekill': { treekill: false },
  '--merge-logs': { merge_logs: true },
  '--time': { time: true },
  '--disable-logs': { disable_logs: true },
  '--compress': { compress: true },
  '--force': { force: true },
  '--no-vizion': {},
  '--no-pmx': {},
  '--no-automation': {},
  // These two once appended --enable-source-maps to interpreter_args themselves; they set the
  // option that does it now, which gives node the same flag (and no other interpreter a wrong one).
  '--source-map-support': { source_map_support: true },
  '--enable-source-maps': { source_map_support: true },
  '--watch': { watch: ['x', 'y'] },
  '--ignore-watch': { ignore_watch: ['x', 'y'] },
  '--filter-env': { filter_env: ['x', 'y'] },
  '--env': {},
  '--only': {},
};

test('start offers the same flags as before', () => {
  assert.deepEqual(addStartFlags(new Command('start')).options.map((o) => o.flags).sort(), FLAGS);
});

test('each start flag sets the same option to the same value as before', () => {
  for (const option of addStartFlags(new Command('start')).options) {
    const long = option.long ?? '';
    const command = addStartFlags(new Command('start')).exitOverride().action(() => undefined);
    command.parse(option.required || option.optional ? [long, long === '--instances' ? '2' : 'x,y'] : [long], { from: 'user' });
    const set = Object.fromEntries(Object.entries(flagsToAppOptions(command.opts())).map(([key, value]) => [findOption(key)?.key ?? key, value]));
    assert.deepEqual(set, EACH[long], long);
  }
});
