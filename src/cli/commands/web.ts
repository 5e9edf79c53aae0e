import { InvalidArgumentError, type Command } from 'commander';
import type { WebStatus } from '../../api/web-types.js';
import { printLine } from '../output.js';
import { withClient } from '../session.js';

interface WebFlags {
  port: number;
  host: string;
  allowRemote?: boolean;
  stop?: boolean;
  status?: boolean;
  json?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is 0-65535 (0 picks a free one)');
  return port;
}

/** `tend web`: the dashboard and /metrics, served by the daemon. */
export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('serve the web dashboard and Prometheus /metrics from the daemon (127.0.0.1, token required)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 9615)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding an address other than loopback (the token is still required)')
    .option('--stop', 'stop serving')
    .option('--status', 'say whether and where it serves')
    .option('--json', 'print the reply as JSON')
    .action((flags: WebFlags) =>
      withClient(async (client) => {
        let status: WebStatus;
        if (flags.stop) status = await client.webStop();
        else if (flags.status) status = await client.webStatus();
        else status = await client.webStart({ port: flags.port, host: flags.host, allowRemote: flags.allowRemote === true });
        if (flags.json) printLine(JSON.stringify(status));
        else printLine(describeStatus(status, flags.stop === true));
      }),
    );
}

function describeStatus(status: WebStatus, stopped: boolean): string {
  if (!status.running || !status.tokenUrl) return stopped ? 'web dashboard stopped' : 'web dashboard not running';
  // One line with the token, ready to open; Prometheus reads the same token from the file.
  return `${status.tokenUrl}\n/metrics: Authorization: Bearer <token in ${status.tokenFile}>`;
}
