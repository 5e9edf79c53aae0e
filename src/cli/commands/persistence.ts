import type { Command } from 'commander';
import { updateDaemon } from '../../api/update-daemon.js';
import { printError, printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

export function registerPersistence(program: Command): void {
  program
    .command('save')
    .alias('dump')
    .option('--force', 'save even when no app is registered (replaces the saved list with an empty one)')
    .description('save the process list to TEND_HOME/dump.json, for resurrect and boot')
    .action((flags: { force?: boolean }) =>
      withClient(async (client) => {
        const saved = await client.save({ force: flags.force === true });
        printLine(`saved ${saved.apps} app(s), ${saved.instances} instance(s) to ${saved.file}`);
      }),
    );

  program
    .command('resurrect')
    .description('start every saved app that is not running, with its saved env and instance count')
    .action(() =>
      withClient(async (client) => {
        const result = await client.resurrect();
        if (result.warning) printError(`warning: ${result.warning}`);
        if (result.skipped.length > 0) printError(`already registered, left alone: ${result.skipped.join(', ')}`);
        printLine(result.started.length > 0 ? `resurrected ${result.started.join(', ')}` : 'nothing to resurrect');
        printLine(await renderTable(await client.list()));
      }),
    );

  program
    .command('cleardump')
    .description('remove the saved process list (and its backup)')
    .action(() =>
      withClient(async (client) => {
        const result = await client.clearDump();
        printLine(result.removed ? `removed ${result.file}` : 'no saved process list');
      }),
    );

  program
    .command('update')
    .description('replace the running daemon with the installed version of tend, keeping the apps')
    .action(async () => {
      const result = await updateDaemon();
      if (!result.replaced) {
        printLine('no daemon running; the next command starts the installed version');
        return;
      }
      if (result.resurrected?.warning) printError(`warning: ${result.resurrected.warning}`);
      printLine(`daemon updated: ${result.oldVersion} (pid ${result.oldPid}) -> ${result.newVersion} (pid ${result.newPid})`);
    });
}
