/**
 * The cluster host: one small `node:cluster` primary per cluster app, spawned by the daemon
 * with an IPC channel (DESIGN.md §1). It forks the app's workers on request, hands their
 * output pipes to the daemon, forwards their readiness, messages and exits, and drains them
 * on stop. It never carries traffic
 * for the daemon, and it outlives a daemon that dies (the next one finds and replaces it).
 *
 * Started by path (dist/runtime/cluster-host.js): Node built-ins and its own folder only.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { DaemonChannel } from './daemon-channel.js';
import { isDaemonToHost, type DaemonToHost, type HostSetupMessage } from './host-messages.js';
import { signalWorker, sendToWorker, stopWorker } from './worker-control.js';
import { OutputPipes } from './output-pipes.js';

const DRAIN_PRELOAD_PATH = fileURLToPath(new URL('./drain-preload.cjs', import.meta.url));

// cluster.fork merges process.env under the env it is given; emptying ours makes each
// worker's environment exactly what the daemon sent (plus NODE_UNIQUE_ID).
for (const name of Object.keys(process.env)) delete process.env[name];

// Our stdout/stderr are pipes to the daemon; if it died, a stray warning must not kill us.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const channel = new DaemonChannel();
const outputPipes = new OutputPipes(channel);
const workers = new Map<number, Worker>();
let isSetUp = false;
let isShuttingDown = false;

function setUp(message: HostSetupMessage): void {
  cluster.setupPrimary({
    exec: message.script,
    args: message.args,
    execArgv: [...message.execArgv, '--require', DRAIN_PRELOAD_PATH],
    cwd: message.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    ...(message.uid === null ? {} : { uid: message.uid }),
    ...(message.gid === null ? {} : { gid: message.gid }),
  });
  isSetUp = true;
}

function exitIfDone(): void {
  if (isShuttingDown && workers.size === 0) process.exit(0);
}

function forkWorker(key: number, env: Record<string, string>): void {
  if (!isSetUp || isShuttingDown) {
    channel.send({ t: 'forkFailed', key, error: isSetUp ? 'cluster host is shutting down' : 'cluster host not set up' });
    return;
  }
  let worker: Worker;
  try {
    worker = cluster.fork(env);
  } catch (error) {
    channel.send({ t: 'forkFailed', key, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  const spawnError: { message: string | null } = { message: null };
  // Without a listener a spawn error (bad cwd, EACCES) would be thrown in the host.
  worker.on('error', (error: Error) => {
    spawnError.message = error.message;
  });
  const pid = worker.process.pid;
  if (pid === undefined) {
    setImmediate(() => channel.send({ t: 'forkFailed', key, error: spawnError.message ?? 'spawn failed' }));
    return;
  }
  workers.set(key, worker);
  outputPipes.handOver(key, worker.process.stdout, worker.process.stderr);
  channel.send({ t: 'forked', key, pid });
  watchWorker(key, worker);
}

function watchWorker(key: number, worker: Worker): void {
  worker.on('listening', () => channel.send({ t: 'listening', key }));
  worker.on('message', (message: unknown) => {
    if (message === 'ready') channel.send({ t: 'ready', key });
    else channel.send({ t: 'message', key, message });
  });
  worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    outputPipes.release(key);
    workers.delete(key);
    channel.send({ t: 'exit', key, code, signal });
    exitIfDone();
  });
}

function handle(message: DaemonToHost): void {
  switch (message.t) {
    case 'setup':
      setUp(message);
      return;
    case 'fork':
      forkWorker(message.key, message.env);
      return;
    case 'shutdown':
      isShuttingDown = true;
      exitIfDone();
      return;
    default:
      break;
  }
  const worker = workers.get(message.key);
  if (worker === undefined) return;
  if (message.t === 'stop') stopWorker(worker, message.signal, message.withMessage);
  else if (message.t === 'signal') signalWorker(worker, message.signal);
  else sendToWorker(worker, message.message);
}

process.on('message', (raw: unknown) => {
  if (isDaemonToHost(raw)) handle(raw);
});
