import type { Command } from 'commander';
import { printLine } from '../output.js';
import { withClient } from '../session.js';

export function registerLogFiles(program: Command): void {
  program
    .command('flush')
    .argument('[targets...]', 'ids, names or namespaces (default: every app)')
    .description('empty log files')
    .action((targets: string[]) =>
      withClient(async (client) => {
        const files = await client.flush(targets.length > 0 ? targets : undefined);
        printLine(files.length > 0 ? `flushed ${files.join(', ')}` : 'no log files to flush');
      }),
    );

  program
    .command('reloadLogs')
    .alias('reload-logs')
    .description('reopen every log file (after an external logrotate moved them)')
    .action(() =>
      withClient(async (client) => {
        await client.reloadLogs();
        printLine('log files reopened');
      }),
    );
}
