import type { Command } from 'commander';
import { OPTION_FLAGS } from '../api/option-flags.js';
import type { StartInput } from '../api/resolve-start.js';

/** PM2 flags that change nothing in tend: accepted, with a note saying why. */
const NO_OP_FLAGS: ReadonlyArray<[flags: string, reason: string]> = [
  ['--no-vizion', 'tend collects no git metadata'],
  ['--no-pmx', 'tend injects no APM agent into apps'],
  ['--no-automation', 'tend injects no APM agent into apps'],
];

/**
 * The app options' flags (derived from the option table, see api/option-flags.ts), PM2's no-op
 * flags, and the config's `--env` and `--only`.
 */
export function addStartFlags(command: Command): Command {
  for (const flag of OPTION_FLAGS) command.option(flag.flags, flag.description);
  for (const [flags, reason] of NO_OP_FLAGS) command.option(flags, `accepted for PM2 scripts; does nothing (${reason})`);
  command.option('--env <name>', 'use env_<name> from the config file');
  command.option('--only <apps>', 'only these apps of the config file (comma-separated)');
  return command;
}

/** Flags given on the command line, as ecosystem options (what was not given is left out). */
export function flagsToAppOptions(flags: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const flag of OPTION_FLAGS) {
    const given = flags[attributeName(flag.flags)];
    // Commander sets --no-x flags to true by default; only a given flag flips them.
    if (given === undefined || (flag.takes === 'off' ? given !== false : given === false)) continue;
    const list = typeof given === 'string' ? given.split(',') : true;
    const value = { value: given, list, 'on-or-list': list, on: true, off: false, fixed: flag.value }[flag.takes];
    options[flag.option] = value;
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
