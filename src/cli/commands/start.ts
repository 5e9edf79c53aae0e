import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { TendClient } from '../../api/client.js';
import { resolveStart, type ResolvedStart } from '../../api/resolve-start.js';
import { TendError } from '../../core/errors.js';
import type { InstanceInfo } from '../../core/instance-info.js';
import { resolveTendHome } from '../../core/paths.js';
import { isFile } from '../files.js';
import { printError, printNote, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';
import { addStartFlags, noOpFlagNotes, startInputFromFlags } from '../start-flags.js';
import { findRunningCopy, splitStartOperands } from '../start-targets.js';
import { showLogs } from './logs.js';

interface StartFlags extends Record<string, unknown> {
  updateEnv?: boolean;
  attach?: boolean;
  force?: boolean;
}

/** One `start` operand, resolved: apps from a script or a config, or a registered name. */
type Planned = { kind: 'registered'; target: string } | { kind: 'apps'; resolved: ResolvedStart; fromScript: boolean };

export function registerStart(program: Command): void {
  const command = program
    .command('start')
    .argument('[target]', 'script, binary, ecosystem file or "-" for a JSON/YAML config on stdin (default: ./ecosystem.config.*); several scripts start several apps')
    .argument('[args...]', 'arguments for the script (put them after --)')
    .option('-a, --update-env', 'an app that is already registered restarts with the options and environment of this command')
    .option('--attach', 'after starting, print the apps\' logs and follow them (Ctrl-C leaves the apps running)')
    .description('start an app and keep it alive');
  addStartFlags(command).action(async (target: string | undefined, operands: string[], flags: StartFlags) => {
    const { targets, args } = splitStartOperands(target, operands, operandsAfterDash(), isFile);
    if (targets.length > 1 && typeof flags.name === 'string') {
      throw new TendError('INVALID_ARGUMENT', '--name names one app; start the scripts one at a time to name them');
    }
    for (const note of noOpFlagNotes(flags)) printNote(note);
    const plans: Planned[] = [];
    for (const one of targets) plans.push(await plan(one, args, flags));
    await withClient(async (client) => {
      const started: InstanceInfo[] = [];
      const names: string[] = [];
      for (const planned of plans) {
        if (planned.kind === 'registered') {
          await restartRegistered(client, planned.target);
          names.push(planned.target);
          continue;
        }
        for (const warning of planned.resolved.warnings) printError(`warning: ${warning}`);
        started.push(...(await startResolved(client, planned, flags)));
        names.push(...planned.resolved.apps.map((a) => a.spec.name));
      }
      printSummary(await renderTable(await client.list()));
      failIfNotSpawned(started);
      if (flags.attach === true) await showLogs(client, names, { lines: '15' });
    });
  });
}

async function plan(target: string | undefined, args: string[], flags: StartFlags): Promise<Planned> {
  if (target !== undefined && target !== '-' && !existsSync(target) && !target.includes('/') && (await isRegistered(target))) {
    return { kind: 'registered', target };
  }
  const input = startInputFromFlags(target === '-' ? undefined : target, args, flags, resolveTendHome());
  if (target === '-') input.configText = await readStdin();
  const resolved = await resolveStart(input);
  return { kind: 'apps', resolved, fromScript: target !== '-' && resolved.configFile === null };
}

/**
 * New apps are started. A script start of an app whose name is registered restarts it (with
 * this command's options and environment under `--update-env`), as PM2 does; a config start
 * starts the file's stopped apps and leaves running ones alone, saying so. A script that
 * already runs under another name is refused unless `--force` or an explicit `--name`.
 */
async function startResolved(client: TendClient, planned: Extract<Planned, { kind: 'apps' }>, flags: StartFlags): Promise<InstanceInfo[]> {
  const list = await client.list();
  const registered = new Set(list.map((i) => i.name));
  const fresh = planned.resolved.apps.filter((a) => !registered.has(a.spec.name));
  const known = planned.resolved.apps.filter((a) => registered.has(a.spec.name));
  // An explicit --name asks for another copy; a name derived from the script does not.
  if (planned.fromScript && typeof flags.name !== 'string') {
    for (const { spec } of fresh) {
      const copy = spec.force ? undefined : findRunningCopy(list, spec.script, spec.name);
      if (copy) {
        throw new TendError('APP_EXISTS', `${spec.script} already runs as "${copy.name}" (id ${copy.id}); add -f to start another copy, or run \`tend restart ${copy.name}\``);
      }
    }
  }
  const started = fresh.length > 0 ? await client.start(fresh) : [];
  if (known.length === 0) return started;
  const names = known.map((a) => a.spec.name);
  if (planned.fromScript || flags.updateEnv === true) {
    const updated = flags.updateEnv === true;
    started.push(...(await client.restart(names, updated ? { apps: known } : {})));
    for (const name of names) {
      printNote(`${name} was already registered: restarted it ${updated ? 'with the options and environment of this command' : 'with its saved options and environment (--update-env applies this command\'s)'}`);
    }
    return started;
  }
  const running = new Set(list.filter((i) => i.status === 'online' || i.status === 'launching').map((i) => i.name));
  for (const name of names.filter((n) => running.has(n))) printNote(`${name} already runs: left as it is (\`tend restart <file>\` applies the file)`);
  started.push(...(await client.start(known)));
  return started;
}

async function isRegistered(target: string): Promise<boolean> {
  const list = await withClient((client) => client.list());
  return list.some((i) => i.name === target || String(i.id) === target || i.namespace === target);
}

/** `tend start <name|id|namespace>` of a registered app: its instances start again. */
async function restartRegistered(client: TendClient, target: string): Promise<void> {
  const before = await client.restart([target]);
  printNote(`${target} is registered: ${before.length === 1 ? 'restarted its instance' : `restarted its ${before.length} instances`}`);
}

/**
 * An instance that is `errored` right after start could not be spawned at all (a command its
 * user may not run, a cwd that is gone): the command fails, as `systemctl start` does, and the
 * app stays listed with its reason for `describe`.
 */
function failIfNotSpawned(started: readonly InstanceInfo[]): void {
  const failed = started.filter((i) => i.status === 'errored');
  if (failed.length === 0) return;
  for (const instance of failed.slice(1)) printError(`${instance.name} (id ${instance.id}): ${instance.error ?? 'could not start'}`);
  const first = failed[0] as InstanceInfo;
  throw new TendError('START_FAILED', `${first.name} (id ${first.id}): ${first.error ?? 'could not start'}`);
}

/** The operands the user put after `--` (always script arguments). */
function operandsAfterDash(): string[] {
  const raw = process.argv;
  const dash = raw.indexOf('--');
  return dash === -1 ? [] : raw.slice(dash + 1);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new TendError('INVALID_ARGUMENT', '`tend start -` reads a JSON or YAML config on stdin; pipe one in');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
