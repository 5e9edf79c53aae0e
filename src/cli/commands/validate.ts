import type { Command } from 'commander';
import { validateConfig } from '../../api/validate-config.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine } from '../output.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('<config>', 'ecosystem file')
    .option('--env <name>', 'env_<name> of the config file')
    .description('check a config file and list every problem in it; starts nothing')
    .action(async (config: string, flags: { env?: string }) => {
      const report = await validateConfig({ file: config, envName: flags.env, home: resolveTendHome() });
      for (const warning of report.warnings) printError(`warning: ${warning}`);
      for (const problem of report.problems) printLine(problem);
      const count = report.problems.length;
      if (count > 0) throw new TendError('CONFIG_INVALID', `${config}: ${count} problem${count === 1 ? '' : 's'}`);
      printLine(`${config}: valid, ${report.apps.length} app${report.apps.length === 1 ? '' : 's'} (${report.apps.join(', ')})`);
    });
}
