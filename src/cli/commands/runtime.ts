import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { distPath } from '../../api/dist-path.js';

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * `tend runtime ...` is `tend-runtime ...`: the CLI may not load the daemon (DESIGN.md §2), so it
 * runs the entry point as a child with this terminal, forwards stop signals, and exits with its
 * code. As a container's PID 1, prefer `tend-runtime` itself: only its launcher reaps zombies.
 */
export function registerRuntime(program: Command): void {
  program
    .command('runtime')
    .description('run apps in the foreground for containers (same as tend-runtime; see tend-runtime --help)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]', 'what tend-runtime takes: a config or script, start flags, -- script args')
    .action(async (args: string[]) => {
      const child = spawn(process.execPath, [distPath('bin/tend-runtime.js'), ...args], { stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      for (const signal of FORWARDED) process.on(signal, forward);
      const code = await new Promise<number>((resolve) => child.on('close', (exit, signal) => resolve(exit ?? (signal ? 128 : 1))));
      for (const signal of FORWARDED) process.off(signal, forward);
      // runCli owns the exit code; non-zero becomes 1 with this line on stderr.
      if (code !== 0) throw new Error(`tend-runtime exited with code ${code}`);
    });
}
