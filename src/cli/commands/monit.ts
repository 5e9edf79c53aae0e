import type { Command } from 'commander';
import { TendError } from '../../core/errors.js';
import { withClient } from '../session.js';

export function registerMonit(program: Command): void {
  program
    .command('monit')
    .alias('dash')
    .description('live dashboard: processes with cpu/memory charts and the selected app\'s logs; r restart, s stop, l reload, q quit')
    .action(async () => {
      // ink needs raw key input and a size to lay out; a pipe has neither.
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new TendError('INVALID_ARGUMENT', 'monit needs an interactive terminal (stdin and stdout are not both a TTY); use `tend jlist` for scripts');
      }
      // ink draws only its last frame when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION
      // set). On a real terminal that is never what the user wants, so this process says so
      // before ink is loaded; apps are unaffected (they get the environment of `tend start`).
      for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) if (name in process.env) process.env[name] = 'false';
      // ink and React load only here: they cost about 380 ms and 44 MB that no other verb pays.
      const { runMonit } = await import('../monit/run-monit.js');
      await withClient(runMonit);
    });
}
