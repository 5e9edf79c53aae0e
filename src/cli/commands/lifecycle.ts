import type { Command } from 'commander';
import type { Verb } from '../../api/targets.js';
import { printLine, printNote, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';
import { forkReloadNote } from './start-or.js';

const VERBS: ReadonlyArray<[Verb, string, string[]]> = [
  ['stop', 'stop apps gracefully (kill_signal, then SIGKILL after kill_timeout)', []],
  ['restart', 'stop then start apps', []],
  ['reload', 'replace cluster instances one at a time without dropping connections', []],
  ['delete', 'stop apps and remove them from the list', ['del']],
  ['reset', 'reset restart counters', []],
];

/** The verbs on targets: what they act on is the API's (api/targets.ts); this prints. */
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
    command.action(async (targets: string[], flags: { updateEnv?: boolean; env?: string }) => {
      await withClient(async (client) => {
        const options = { env: flags.env, updateEnv: flags.updateEnv === true, onNote: printNote };
        if (verb === 'reload') {
          const result = await client.reload(targets, options);
          for (const name of result.restartedForkApps) printLine(forkReloadNote(name));
        } else {
          await client[verb](targets, options);
        }
        printSummary(await renderTable(await client.list()));
      });
    });
  }
}
