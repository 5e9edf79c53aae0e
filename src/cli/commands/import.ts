import type { Command } from 'commander';
import { readPm2Dump, type Pm2Import } from '../../api/import-pm2.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .argument('<source>', 'only "pm2"')
    .option('--pm2-home <dir>', "PM2's home folder (default: $PM2_HOME or ~/.pm2)")
    .option('--start', 'start the apps now (default: save them for `tend resurrect` and boot)')
    .description("take over PM2's saved process list (dump.pm2): same names, scripts, args, env and instances")
    .action(async (source: string, flags: { pm2Home?: string; start?: boolean }) => {
      if (source !== 'pm2') throw new TendError('INVALID_ARGUMENT', `can only import from pm2, got "${source}"`);
      const imported = readPm2Dump({ pm2Home: flags.pm2Home, home: resolveTendHome() });
      reportImport(imported);
      if (imported.apps.length === 0) throw new TendError('CONFIG_INVALID', `${imported.dumpFile}: no app could be imported`);
      await withClient(async (client) => {
        if (flags.start) {
          await client.startApps(imported.apps);
          printLine(await renderTable(await client.list()));
        } else {
          const result = await client.addToDump(imported.apps);
          if (result.skipped.length > 0) printError(`already in the saved list, left as they were: ${result.skipped.join(', ')}`);
          printLine(`saved ${result.added.length} app(s) to ${result.file}; \`tend resurrect\` starts them (and boot, with tend startup)`);
        }
      });
      if (imported.problems.length > 0) throw new TendError('CONFIG_INVALID', `${imported.problems.length} app(s) could not be imported`);
    });
}

/** What was read, app by app, and every option or entry left behind; never an env value. */
export function reportImport(imported: Pm2Import): void {
  printLine(`read ${imported.dumpFile}`);
  for (const { spec, baseEnv } of imported.apps) {
    const own = Object.keys(spec.env);
    const env = own.length > 0 ? `, env ${own.join(', ')}` : '';
    printLine(`  ${spec.name}: ${spec.execMode} x${spec.instances}, ${spec.script}${env} (+${Object.keys(baseEnv).length} inherited variables)`);
  }
  for (const warning of imported.warnings) printError(`warning: ${warning}`);
  for (const skipped of imported.skipped) printError(`skipped ${skipped}`);
  for (const problem of imported.problems) printError(problem);
}
