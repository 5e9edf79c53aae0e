import type { Command } from 'commander';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { release } from 'node:os';
import { TendClient } from '../../api/client.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome, tendPaths } from '../../core/paths.js';
import { TEND_VERSION } from '../../core/version.js';
import { printLine } from '../output.js';
import { PM2_ONLY_VERBS } from '../pm2-verbs.js';
import { renderTable } from '../render.js';

const DAEMON_LOG_LINES = 30;

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('what a bug report needs: versions, paths, the daemon log tail and the process table')
    .action(async () => printLine(await buildReport()));

  for (const [verb, instead] of Object.entries(PM2_ONLY_VERBS)) {
    program
      .command(verb, { hidden: true })
      .argument('[args...]')
      .allowUnknownOption()
      .description(instead)
      .action(() => {
        throw new TendError('NOT_SUPPORTED', `${verb}: ${instead}`);
      });
  }
}

/** Never starts a daemon: a report describes the machine as it is. */
async function buildReport(): Promise<string> {
  const paths = tendPaths(resolveTendHome());
  const lines = [
    '## versions',
    `tend ${TEND_VERSION}, node ${process.version}, ${process.platform} ${release()} ${process.arch}`,
    '',
    '## paths',
    `TEND_HOME ${paths.home}${existsSync(paths.home) ? '' : ' (missing)'}`,
    `socket    ${paths.socket}`,
    `logs      ${paths.logsDir}`,
    `daemon    ${paths.daemonLog}`,
    '',
    '## daemon',
  ];
  let client: TendClient | null = null;
  try {
    client = await TendClient.connect({ autoStart: false });
    lines.push(`running: pid ${client.daemon.pid}, tend ${client.daemon.version}`, '', '## processes', await renderTable(await client.list()));
  } catch (error) {
    lines.push(`not running (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    client?.close();
  }
  lines.push('', `## daemon log (last ${DAEMON_LOG_LINES} lines)`, ...lastLines(paths.daemonLog, DAEMON_LOG_LINES));
  return lines.join('\n');
}

/** The last lines of a file, reading at most its last 64 KiB (daemon.log grows to 10 MB). */
function lastLines(file: string, count: number): string[] {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8').split('\n').filter((l) => l.length > 0).slice(-count);
    } finally {
      closeSync(fd);
    }
  } catch {
    return ['(none)'];
  }
}
