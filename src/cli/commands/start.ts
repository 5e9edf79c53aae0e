import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { TendClient } from '../../api/client.js';
import { spawnFailures } from '../../api/start-apps.js';
import { resolveStart, type ResolvedStart } from '../../api/resolve-start.js';
import { TendError } from '../../core/errors.js';
import type { InstanceInfo } from '../../core/instance-info.js';
import { resolveTendHome } from '../../core/paths.js';
import { isFile } from '../../api/files.js';
import { printError, printNote, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';
import { addStartFlags, noOpFlagNotes, startInputFromFlags } from '../start-flags.js';
import { splitStartOperands } from '../start-targets.js';
import { showLogs } from './logs.js';

interface StartFlags extends Record<string, unknown> {
  updateEnv?: boolean;
  attach?: boolean;
  force?: boolean;
  wait?: boolean;
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
    .option('--wait', 'return once every started instance is online; exit 1 with the reason when one is not (it crash-loops until errored, its readiness times out)')
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
      const wait = flags.wait === true;
      let notOnline: unknown = null;
      for (const planned of plans) {
        try {
          if (planned.kind === 'registered') {
            names.push(planned.target);
            await restartRegistered(client, planned.target, wait);
            continue;
          }
          for (const warning of planned.resolved.warnings) printError(`warning: ${warning}`);
          names.push(...planned.resolved.apps.map((a) => a.spec.name));
          const how = { fromScript: planned.fromScript, explicitName: typeof flags.name === 'string', updateEnv: flags.updateEnv === true, wait, onNote: printNote };
          started.push(...(await client.startResolved(planned.resolved, how)));
        } catch (error) {
          // --wait: an app that did not get online fails the command once every app was started.
          if (!(error instanceof TendError && error.code === 'START_FAILED')) throw error;
          notOnline ??= error;
        }
      }
      printSummary(await renderTable(await client.list()));
      if (notOnline !== null) throw notOnline;
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

async function isRegistered(target: string): Promise<boolean> {
  const list = await withClient((client) => client.list());
  return list.some((i) => i.name === target || String(i.id) === target || i.namespace === target);
}

/** `tend start <name|id|namespace>` of a registered app: its instances start again. */
async function restartRegistered(client: TendClient, target: string, wait: boolean): Promise<void> {
  const before = await client.restart([target], { wait });
  printNote(`${target} is registered: ${before.length === 1 ? 'restarted its instance' : `restarted its ${before.length} instances`}`);
}

/**
 * An instance that is `errored` right after start could not be spawned at all (a command its
 * user may not run, a cwd that is gone): the command fails, as `systemctl start` does, and the
 * app stays listed with its reason for `describe`.
 */
function failIfNotSpawned(started: readonly InstanceInfo[]): void {
  const [first, ...others] = spawnFailures(started);
  if (first === undefined) return;
  for (const failure of others) printError(failure);
  throw new TendError('START_FAILED', first);
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
