import type { Command } from 'commander';
import { resolveStart } from '../../api/resolve-start.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine, printNote, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

export function registerStartOr(program: Command): void {
  for (const [verb, action] of [['startOrRestart', 'restart'], ['startOrReload', 'reload']] as const) {
    program
      .command(verb)
      .argument('<config>', 'ecosystem file')
      .option('--env <name>', 'env_<name> of the config file')
      .option('--only <apps>', 'only these apps (comma-separated)')
      .description(`start the apps of a config file, or ${action} those already running`)
      .action(async (config: string, flags: { env?: string; only?: string }) => {
        const only = flags.only?.split(',');
        // Resolved once before connecting: a broken file fails without starting a daemon.
        const checked = await resolveStart({ target: config, envName: flags.env, only, home: resolveTendHome() });
        for (const warning of checked.warnings) printError(`warning: ${warning}`);
        await withClient(async (client) => {
          const options = { env: flags.env, only, onNote: printNote };
          const result = action === 'restart' ? await client.startOrRestart(config, options) : await client.startOrReload(config, options);
          for (const name of result.restartedForkApps) printLine(forkReloadNote(name));
          printSummary(await renderTable(await client.list()));
        });
      });
  }
}

/** What `reload` says of a fork-mode app: it was restarted, not handed over. */
export function forkReloadNote(name: string): string {
  return `${name} runs in fork mode: restarted one instance at a time, each once the previous was online (handing connections over needs cluster mode)`;
}
