import type { Command } from 'commander';
import { executeApply, prepareApply, renderPlan } from '../../api/apply.js';
import { TendClient } from '../../api/client.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { printError, printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

interface ApplyFlags {
  env?: string;
  dryRun?: boolean;
  prune?: boolean;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .argument('<config>', 'ecosystem file')
    .option('--env <name>', 'env_<name> of the config file')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--prune', 'delete the apps this file started that are no longer in it')
    .description('make the running apps match a config file: start, update, scale and (with --prune) delete')
    .action(async (config: string, flags: ApplyFlags) => {
      const input = { file: config, envName: flags.env, prune: flags.prune === true, home: resolveTendHome() };
      if (flags.dryRun) return dryRun(input);
      await withClient(async (client) => {
        const prepared = await prepareApply(client, input);
        for (const warning of prepared.warnings) printError(`warning: ${warning}`);
        const lines = renderPlan(prepared.plan);
        for (const line of lines) printLine(line);
        if (prepared.plan.steps.length === 0) return printLine('nothing to change');
        const failures = await executeApply(client, prepared);
        printLine(await renderTable(await client.list()));
        for (const failure of failures.slice(1)) printError(`${failure.name}: ${failure.message}`);
        const first = failures[0];
        if (first) throw new TendError('START_FAILED', `${first.name}: ${first.message}`);
      });
    });
}

/** The plan against the running daemon, or against nothing when none runs; never starts one. */
async function dryRun(input: Parameters<typeof prepareApply>[1]): Promise<void> {
  const client = await TendClient.connect({ autoStart: false }).catch((error: unknown) => {
    if (error instanceof TendError && error.code === 'DAEMON_UNREACHABLE') return null;
    throw error;
  });
  try {
    const prepared = await prepareApply(client, input);
    for (const warning of prepared.warnings) printError(`warning: ${warning}`);
    for (const line of renderPlan(prepared.plan)) printLine(line);
    printLine(prepared.plan.steps.length === 0 ? 'nothing to change' : 'dry run: nothing was changed');
  } finally {
    client?.close();
  }
}
