import { Command, InvalidArgumentError } from 'commander';
import { type ResolvedStart, resolveStart } from '../api/resolve-start.js';
import { addStartFlags, startInputFromFlags } from './start-flags.js';

export interface RuntimeRequest {
  resolved: ResolvedStart;
  /** Each app line as one JSON object instead of `<app>-<id> | line`. */
  json: boolean;
  preStopDelayMs: number;
  healthPort: number | null;
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
    .option('--pre-stop-delay <duration>', 'on SIGTERM, stay up (not ready) this long before stopping the apps, e.g. 5s', parseDelayMs, 0)
    .option('--health-port <port>', 'serve GET /live and /ready (ready once every app is online) on this port', parsePort)
    .exitOverride();
  addStartFlags(command).action(async (target: string | undefined, args: string[], flags: Record<string, unknown>) => {
    const resolved = await resolveStart(startInputFromFlags(target, args, flags, home));
    request = { resolved, json: flags.json === true, preStopDelayMs: flags.preStopDelay as number, healthPort: (flags.healthPort as number | undefined) ?? null };
  });
  await command.parseAsync([...argv], { from: 'user' });
  return request;
}

/** `5000`, `5000ms`, `5s` or `1m`. */
function parseDelayMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`expected a duration such as 5s or 500ms, got "${value}"`);
  const unit = match[2] === 's' ? 1000 : match[2] === 'm' ? 60_000 : 1;
  return Math.round(Number(match[1]) * unit);
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}"`);
  return port;
}
