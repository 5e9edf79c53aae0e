import type { Command } from 'commander';
import { basename } from 'node:path';
import { TendError } from '../../core/errors.js';
import type { DescribeResult } from '../../core/instance-info.js';
import { evaluateInTarget, listTargets } from '../inspector-client.js';
import { isPortListening, listeningPortsOf } from '../listening-ports.js';
import { printLine } from '../output.js';
import { parsePort } from '../runtime-args.js';
import { withClient } from '../session.js';

/** Where Node opens its inspector on SIGUSR1 when it was started without --inspect-port. */
const NODE_SIGNAL_PORT = 9229;
const WAIT_MS = 5000;

interface InspectFlags {
  port?: number;
  stop?: boolean;
}

/**
 * `tend inspect <id>`: the inspector of one running Node instance (a fork-mode app or one
 * cluster worker), on a port of its own, without restarting it. Node opens it on SIGUSR1 at
 * 9229; tend then asks it, through the inspector, to reopen on the instance's port, so 9229 is
 * free again for the next one.
 */
export function registerInspectProcess(program: Command): void {
  program
    .command('inspect')
    .argument('<id>', 'instance id (or the name of a one-instance app)')
    .option('--port <port>', 'inspector port (default 9230 + the instance id)', parsePort)
    .option('--stop', 'close the instance\'s inspector')
    .description('turn on the Node inspector of one instance, cluster workers included, on its own port')
    .action((target: string, flags: InspectFlags) =>
      withClient(async (client) => {
        const instance = pickOne(await client.describe([target]), target);
        const pid = instance.info.pid;
        if (pid === null || instance.info.status !== 'online') throw new TendError('INSPECT_FAILED', `inspect: ${instance.info.name} (id ${instance.info.id}) is not running`);
        const port = flags.port ?? 9230 + instance.info.id;
        if (port > 65535) throw new TendError('INVALID_ARGUMENT', `inspect: 9230 + id ${instance.info.id} is past 65535; give --port`);
        const label = `${instance.info.name} (id ${instance.info.id}, pid ${pid})`;
        if (flags.stop) return stopInspector(pid, port, label);
        printLine(`${label}: inspector on ${await openInspector(pid, port)}\nattach with chrome://inspect (add 127.0.0.1:${port} under Configure) or \`node inspect 127.0.0.1:${port}\`; \`tend inspect ${instance.info.id} --stop\` closes it`);
      }),
    );
}

function pickOne(results: DescribeResult[], target: string): DescribeResult {
  const [first] = results;
  if (first === undefined) throw new TendError('APP_NOT_FOUND', `inspect: no app or process matches "${target}"`);
  if (results.length > 1) throw new TendError('INVALID_ARGUMENT', `inspect: "${target}" has ${results.length} instances; give one id (${results.map((r) => r.info.id).join(', ')})`);
  const interpreter = first.spec.interpreter === null ? '' : basename(first.spec.interpreter);
  if (first.spec.execMode !== 'cluster' && interpreter !== 'node') {
    throw new TendError('NOT_SUPPORTED', `inspect: ${first.info.name} is not a Node app (${interpreter === '' ? 'executed directly' : `run by ${interpreter}`}); only Node has this inspector`);
  }
  return first;
}

async function openInspector(pid: number, port: number): Promise<string> {
  if (!listeningPortsOf(pid).has(port)) {
    if (!listeningPortsOf(pid).has(NODE_SIGNAL_PORT)) {
      if (isPortListening(NODE_SIGNAL_PORT)) {
        throw new TendError('INSPECT_FAILED', `inspect: port ${NODE_SIGNAL_PORT}, where Node opens its inspector on SIGUSR1, is taken by another process; free it and try again`);
      }
      process.kill(pid, 'SIGUSR1');
      await waitUntil(() => listeningPortsOf(pid).has(NODE_SIGNAL_PORT), `inspect: the app did not open its inspector on SIGUSR1 (it may handle SIGUSR1 itself); restart it with --node-args="--inspect=127.0.0.1:${port}" instead`);
    }
    if (port !== NODE_SIGNAL_PORT) await moveInspector(pid, port);
  }
  const [target] = await listTargets(port);
  return target?.webSocketDebuggerUrl ?? `127.0.0.1:${port}`;
}

/** Reopens the inspector on `port` from inside the app, once this connection has gone. */
async function moveInspector(pid: number, port: number): Promise<void> {
  if (isPortListening(port)) throw new TendError('INSPECT_FAILED', `inspect: port ${port} is taken; give another with --port (the inspector stays on ${NODE_SIGNAL_PORT})`);
  const [target] = await listTargets(NODE_SIGNAL_PORT);
  if (target === undefined) throw new TendError('INSPECT_FAILED', `inspect: the inspector on port ${NODE_SIGNAL_PORT} lists no target`);
  await evaluateInTarget(NODE_SIGNAL_PORT, target, inApp(`i.close(); i.open(${port}, '127.0.0.1');`));
  await waitUntil(() => listeningPortsOf(pid).has(port), `inspect: the inspector did not move to port ${port}`);
}

async function stopInspector(pid: number, port: number, label: string): Promise<void> {
  if (!listeningPortsOf(pid).has(port)) throw new TendError('INSPECT_FAILED', `inspect: ${label} has no inspector on port ${port}`);
  const [target] = await listTargets(port);
  if (target !== undefined) await evaluateInTarget(port, target, inApp('i.close();'));
  await waitUntil(() => !listeningPortsOf(pid).has(port), `inspect: the inspector on port ${port} did not close`);
  printLine(`${label}: inspector closed`);
}

/**
 * Code run in the app a moment after this connection closes (inspector.close() waits for the
 * connections to go). It must never throw there: that would crash the app.
 */
function inApp(statements: string): string {
  const inspector = "(process.getBuiltinModule ? process.getBuiltinModule('node:inspector') : process.mainModule.require('inspector'))";
  return `setTimeout(() => { try { const i = ${inspector}; ${statements} } catch {} }, 100).unref(); 'scheduled'`;
}

async function waitUntil(check: () => boolean, failure: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new TendError('INSPECT_FAILED', failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
