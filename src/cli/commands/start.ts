import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolveStart } from '../../api/resolve-start.js';
import { TendError } from '../../core/errors.js';
import type { InstanceInfo } from '../../core/instance-info.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';
import { addStartFlags, startInputFromFlags } from '../start-flags.js';

export function registerStart(program: Command): void {
  const command = program
    .command('start')
    .argument('[target]', 'script, binary or ecosystem file (default: ./ecosystem.config.*)')
    .argument('[args...]', 'arguments for the script (put them after --)')
    .description('start an app and keep it alive');
  addStartFlags(command).action(async (target: string | undefined, args: string[], flags: Record<string, unknown>) => {
    if (target !== undefined && (await startRegistered(target))) return;
    const resolved = await resolveStart(startInputFromFlags(target, args, flags, resolveTendHome()));
    for (const warning of resolved.warnings) printError(`warning: ${warning}`);
    await withClient(async (client) => {
      const started = await client.start(resolved.apps);
      printLine(await renderTable(await client.list()));
      failIfNotSpawned(started);
    });
  });
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

/**
 * `tend start <name|id|namespace>` of an app that is already registered (and is not a file
 * here) starts its stopped instances again, as PM2 users expect.
 */
async function startRegistered(target: string): Promise<boolean> {
  if (existsSync(target) || target.includes('/')) return false;
  return withClient(async (client) => {
    const matches = (await client.list()).filter(
      (i) => i.name === target || String(i.id) === target || i.namespace === target,
    );
    if (matches.length === 0) return false;
    await client.restart([target]);
    printLine(await renderTable(await client.list()));
    return true;
  });
}
