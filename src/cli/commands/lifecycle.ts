import type { Command } from 'commander';
import { isConfigTarget, resolveStart } from '../../api/resolve-start.js';
import type { TendClient } from '../../api/client.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { isFile } from '../files.js';
import { resolveConfigAgain } from '../config-env.js';
import { printLine, printNote, printSummary } from '../output.js';
import { expandTargetPatterns } from '../target-patterns.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';
import { forkReloadNote, startOrUpdate } from './start-or.js';

/** Targets given as a config file act on that file's apps; `--update-env` re-reads the environment. */
async function expandTargets(client: TendClient, verb: Verb, targets: string[], updateEnv: boolean, envName: string | undefined) {
  const configTarget = targets.length === 1 && isConfigTarget(targets[0] ?? '') ? targets[0] : undefined;
  if (!configTarget && envName !== undefined) printNote(`--env ${envName} applies only with a config file; the apps keep the env they were started with`);
  if (!configTarget && !updateEnv) return { targets, options: {} };
  if (!configTarget) return { targets, options: { baseEnv: currentEnv() } };
  const input = { target: configTarget, envName, home: resolveTendHome() };
  const resolved = verb === 'restart' || verb === 'reload' ? await resolveConfigAgain(client, input) : await resolveStart(input);
  const names = resolved.apps.map((a) => a.spec.name);
  return { targets: names, options: { apps: resolved.apps } };
}

/** This CLI's environment as the new snapshot for `--update-env`. */
function currentEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

async function registeredOf(client: TendClient, names: string[], file: string): Promise<string[]> {
  const registered = new Set((await client.list()).map((i) => i.name));
  const found = names.filter((name) => registered.has(name));
  if (found.length === 0) throw new TendError('APP_NOT_FOUND', `${file}: none of its apps (${names.join(', ')}) is registered`);
  return found;
}

type Verb = 'stop' | 'restart' | 'reload' | 'delete' | 'reset';

async function run(client: TendClient, verb: Verb, given: string[], flags: Record<string, unknown>): Promise<unknown> {
  const targets = await targetsOf(client, verb, given);
  const expanded = await expandTargets(client, verb, targets, flags.updateEnv === true, flags.env as string | undefined);
  // As in PM2, restart/reload of a config file also starts the file's apps that are not registered.
  if ((verb === 'restart' || verb === 'reload') && expanded.options.apps) return startOrUpdate(client, expanded.options.apps, verb);
  // stop/delete <file> act on the file's apps that are registered and skip the others, as PM2 does.
  if (expanded.options.apps) expanded.targets = await registeredOf(client, expanded.targets, targets[0] ?? '');
  switch (verb) {
    case 'stop':
      return client.stop(expanded.targets);
    case 'restart':
      return client.restart(expanded.targets, expanded.options);
    case 'reload': {
      const result = await client.reload(expanded.targets, expanded.options);
      for (const name of result.restartedForkApps) printLine(forkReloadNote(name));
      return result.instances;
    }
    case 'delete':
      return client.delete(expanded.targets);
    case 'reset':
      return client.reset(expanded.targets);
  }
}

/**
 * Regular expressions and script paths become ids; `all` with nothing registered fails (exit
 * 1), as in PM2, so a script can tell that its action touched nothing.
 */
async function targetsOf(client: TendClient, verb: Verb, targets: string[]): Promise<string[]> {
  if (targets.length === 1 && isConfigTarget(targets[0] ?? '')) return targets;
  const list = await client.list();
  if (list.length === 0 && targets.every((t) => t === 'all')) throw new TendError('APP_NOT_FOUND', `nothing to ${verb}: no app is registered`);
  return expandTargetPatterns(targets, list, { cwd: process.cwd(), isFile });
}

const VERBS: ReadonlyArray<[Verb, string, string[]]> = [
  ['stop', 'stop apps gracefully (kill_signal, then SIGKILL after kill_timeout)', []],
  ['restart', 'stop then start apps', []],
  ['reload', 'replace cluster instances one at a time without dropping connections', []],
  ['delete', 'stop apps and remove them from the list', ['del']],
  ['reset', 'reset restart counters', []],
];

export function registerLifecycle(program: Command): void {
  for (const [verb, description, aliases] of VERBS) {
    const command = program
      .command(verb)
      .aliases(aliases)
      .argument('<targets...>', 'ids, names, namespaces, "all", /regular expressions/ over names, script paths or a config file')
      .description(description);
    if (verb === 'restart' || verb === 'reload') command.option('-a, --update-env', 'replace the saved environment with the current one');
    // Every verb: with append_env_to_name the file's app names depend on the environment.
    command.option('--env <name>', 'env_<name> of the config file');
    command.action(async (targets: string[], flags: Record<string, unknown>) => {
      await withClient(async (client) => {
        await run(client, verb, targets, flags);
        printSummary(await renderTable(await client.list()));
      });
    });
  }
}
