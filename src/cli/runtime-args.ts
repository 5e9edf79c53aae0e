import { Command } from 'commander';
import { type ResolvedStart, resolveStart } from '../api/resolve-start.js';
import { addStartFlags, startInputFromFlags } from './start-flags.js';

export interface RuntimeRequest {
  resolved: ResolvedStart;
  /** Each app line as one JSON object instead of `<app>-<id> | line`. */
  json: boolean;
}

/**
 * Parses `tend-runtime <config|script> [flags] [-- args]` with exactly the flags of `start`, and
 * resolves the apps the same way. `home` only places default log paths (the runtime discards
 * log files and prints the lines instead).
 */
export async function parseRuntimeArgs(argv: readonly string[], home: string): Promise<RuntimeRequest | null> {
  let request: RuntimeRequest | null = null;
  const command = new Command('tend-runtime')
    .description('run apps in the foreground (containers): logs on stdout/stderr, SIGTERM stops them gracefully')
    .argument('[target]', 'ecosystem file, script or binary (default: ./ecosystem.config.*)')
    .argument('[args...]', 'arguments for the script (put them after --)')
    .option('--json', 'print each log line as a JSON object')
    .exitOverride();
  addStartFlags(command).action(async (target: string | undefined, args: string[], flags: Record<string, unknown>) => {
    const resolved = await resolveStart(startInputFromFlags(target, args, flags, home));
    request = { resolved, json: flags.json === true };
  });
  await command.parseAsync([...argv], { from: 'user' });
  return request;
}
