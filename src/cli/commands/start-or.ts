import type { Command } from 'commander';
import type { TendClient } from '../../api/client.js';
import { resolveStart, type ResolvedStart } from '../../api/resolve-start.js';
import { resolveTendHome } from '../../core/paths.js';
import { resolveConfigAgain } from '../config-env.js';
import { printError, printLine, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

/**
 * The apps of a config file that are not registered are started; the others are restarted (or
 * reloaded) with the file's options and a fresh environment. This is PM2's meaning of
 * `startOrRestart <file>` and also of `restart <file>` / `reload <file>`, which deploy scripts
 * run right after adding an app to the file.
 */
export async function startOrUpdate(client: TendClient, apps: ResolvedStart['apps'], action: 'restart' | 'reload'): Promise<void> {
  const registered = new Set((await client.list()).map((i) => i.name));
  const fresh = apps.filter((a) => !registered.has(a.spec.name));
  const known = apps.filter((a) => registered.has(a.spec.name));
  if (fresh.length > 0) await client.start(fresh);
  if (known.length === 0) return;
  const names = known.map((a) => a.spec.name);
  if (action === 'restart') {
    await client.restart(names, { apps: known });
    return;
  }
  const result = await client.reload(names, { apps: known });
  for (const name of result.restartedForkApps) printLine(forkReloadNote(name));
}

export function registerStartOr(program: Command): void {
  for (const [verb, action] of [['startOrRestart', 'restart'], ['startOrReload', 'reload']] as const) {
    program
      .command(verb)
      .argument('<config>', 'ecosystem file')
      .option('--env <name>', 'env_<name> of the config file')
      .option('--only <apps>', 'only these apps (comma-separated)')
      .description(`start the apps of a config file, or ${action} those already running`)
      .action(async (config: string, flags: { env?: string; only?: string }) => {
        const input = { target: config, envName: flags.env, only: flags.only?.split(','), home: resolveTendHome() };
        // Resolved once before connecting: a broken file fails without starting a daemon.
        const checked = await resolveStart(input);
        for (const warning of checked.warnings) printError(`warning: ${warning}`);
        await withClient(async (client) => {
          await startOrUpdate(client, (await resolveConfigAgain(client, input, checked)).apps, action);
          printSummary(await renderTable(await client.list()));
        });
      });
  }
}

/** What `reload` says of a fork-mode app: it was restarted, not handed over. */
export function forkReloadNote(name: string): string {
  return `${name} runs in fork mode: restarted one instance at a time, each once the previous was online (handing connections over needs cluster mode)`;
}
