import type { Command } from 'commander';
import { resolveStart } from '../../api/resolve-start.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

/**
 * `startOrRestart` / `startOrReload <config>`: apps of the file that are not registered are
 * started; the others are restarted (or reloaded) with the file's options and a fresh
 * environment, as a deploy script expects.
 */
export function registerStartOr(program: Command): void {
  for (const [verb, action] of [['startOrRestart', 'restart'], ['startOrReload', 'reload']] as const) {
    program
      .command(verb)
      .argument('<config>', 'ecosystem file')
      .option('--env <name>', 'env_<name> of the config file')
      .option('--only <apps>', 'only these apps (comma-separated)')
      .description(`start the apps of a config file, or ${action} those already running`)
      .action(async (config: string, flags: { env?: string; only?: string }) => {
        const resolved = await resolveStart({
          target: config,
          envName: flags.env,
          only: flags.only?.split(','),
          home: resolveTendHome(),
        });
        for (const warning of resolved.warnings) printError(`warning: ${warning}`);
        await withClient(async (client) => {
          const registered = new Set((await client.list()).map((i) => i.name));
          const fresh = resolved.apps.filter((a) => !registered.has(a.spec.name));
          const known = resolved.apps.filter((a) => registered.has(a.spec.name));
          if (fresh.length > 0) await client.start(fresh);
          if (known.length > 0) {
            const names = known.map((a) => a.spec.name);
            if (action === 'restart') await client.restart(names, { apps: known });
            else await client.reload(names, { apps: known });
          }
          printLine(await renderTable(await client.list()));
        });
      });
  }
}
