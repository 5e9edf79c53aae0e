import type { Command } from 'commander';
import { styleText } from 'node:util';
import type { TendClient } from '../../api/client.js';
import type { LogLine, LogsTailResult } from '../../api/types.js';
import { formatTimestamp } from '../../core/timestamp-format.js';
import { printError, printLine } from '../output.js';
import { timeOfPastLine } from '../past-line-time.js';
import { withClient } from '../session.js';

export interface LogsFlags {
  lines: string;
  nostream?: boolean;
  out?: boolean;
  err?: boolean;
  raw?: boolean;
  json?: boolean;
  timestamp?: string | boolean;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .alias('log')
    .argument('[targets...]', 'ids, names or namespaces (default: all)')
    .option('--lines <n>', 'how many past lines to print per app', '15')
    .option('--nostream', 'print the past lines and exit')
    .option('--out', 'only stdout')
    .option('--err', 'only stderr')
    .option('--raw', 'lines only, no prefix')
    .option('--json', 'one JSON object per line')
    .option('--timestamp [format]', 'prefix streamed lines with the time they were read (tokens YYYY MM DD HH mm ss SSS Z)')
    .description('print the last lines of app logs, then follow new lines')
    .action((targets: string[], flags: LogsFlags) => withClient((client) => showLogs(client, targets, flags)));
}

/** Past lines of `targets` (all when empty), then new lines until the daemon goes away. */
export async function showLogs(client: TendClient, targets: string[], flags: LogsFlags): Promise<void> {
  const chosen = targets.length > 0 ? targets : ['all'];
  const stream = flags.out ? 'out' : flags.err ? 'err' : 'both';
  const lines = Number(flags.lines);
  if (!Number.isInteger(lines) || lines < 0) throw new Error(`--lines must be a whole number, got "${flags.lines}"`);
  const list = await client.list();
  if (list.length === 0 && targets.length === 0) {
    printLine('No processes.');
    return;
  }
  let followedIds: Set<number> | null = null;
  if (!flags.nostream) {
    // Subscribe before reading the tail so no line falls between the two.
    const pending: LogLine[] = [];
    let tailDone = false;
    await client.subscribe(['log'], (event: string, data: unknown) => {
      if (event !== 'log') return;
      const line = data as LogLine;
      if (!followedIds?.has(line.id) || (stream !== 'both' && line.stream !== stream)) return;
      if (tailDone) printLine(formatLine(line, flags));
      else pending.push(line);
    });
    const tails = await client.logsTail(chosen, lines, stream);
    followedIds = new Set(tails.map((t) => t.id));
    printTails(tails, flags);
    tailDone = true;
    for (const line of pending) if (followedIds.has(line.id)) printLine(formatLine(line, flags));
    await client.closed();
    return;
  }
  printTails(await client.logsTail(chosen, lines, stream), flags);
}

function printTails(tails: LogsTailResult[], flags: LogsFlags): void {
  const cut = tails.filter((tail) => tail.truncated === true).map((tail) => `${tail.name} (id ${tail.id})`);
  if (cut.length > 0) printError(`older lines of ${cut.join(', ')} left out: a reply holds about 4 MiB of log text; read the files \`tend describe\` names for more`);
  for (const tail of tails) {
    for (const [streamName, lines] of [['out', tail.out], ['err', tail.err]] as const) {
      if (lines.length === 0) continue;
      if (!flags.raw && !flags.json) printLine(dim(`==> ${tail.name} (id ${tail.id}) ${streamName === 'out' ? 'stdout' : 'stderr'} <==`));
      for (const line of lines) {
        if (flags.json) printLine(JSON.stringify({ time: timeOfPastLine(line), app: tail.name, id: tail.id, instance: tail.instance, stream: streamName, message: line }));
        else printLine(line);
      }
    }
  }
}

function formatLine(line: LogLine, flags: LogsFlags): string {
  if (flags.json) return JSON.stringify({ time: new Date(line.at).toISOString(), app: line.app, id: line.id, instance: line.instance, stream: line.stream, message: line.line });
  if (flags.raw) return line.line;
  // A bare `--timestamp` is `true`: the default format, the one the daemon's files use.
  const format = typeof flags.timestamp === 'string' ? flags.timestamp : null;
  const time = flags.timestamp ? `${formatTimestamp(line.at, format)} ` : '';
  const prefix = `${line.id}|${line.app}`;
  const coloured = process.stdout.isTTY ? styleText(line.stream === 'err' ? 'red' : 'green', prefix) : prefix;
  return `${time}${coloured} | ${line.line}`;
}

function dim(text: string): string {
  return process.stdout.isTTY ? styleText('gray', text) : text;
}
