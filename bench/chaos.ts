/**
 * `npm run chaos`: hostile and exhausting conditions against a real daemon, each with the
 * promise tend makes and the figures measured, as one table. Bounded in time (a few minutes),
 * never part of `npm test` (the regressions themselves, and short runs of the fuzzers, are in
 * test/integration/security and test/unit).
 * Scenarios that need another user (root, to run a process as nobody) say so when skipped.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, TendHarness, delay } from '../test/helpers/tend-harness.js';
import { configFuzz, protocolFuzz } from './chaos/fuzz.js';
import { manyReloads, manyRestarts } from './chaos/churn.js';
import { logFlood } from './chaos/flood.js';
import { kill9AtRandomMoments } from './chaos/kill9.js';
import { type Outcome, cpuMs, fdCount, rssMiB } from './chaos/outcome.js';
import { pingOverOneSocket } from './lib/socket-ping.js';

const tend = new TendHarness('tend-chaos-');

function daemonPid(): number {
  return tend.daemonPid() as number;
}

/** Worst `tend ping` round trip over `count` pings in a row (Infinity when one fails). */
async function worstPingMs(count: number): Promise<number> {
  let worst = 0;
  for (let n = 0; n < count; n += 1) {
    const started = performance.now();
    const result = await tend.run(['ping'], { timeoutMs: 30_000 });
    if (result.code !== 0) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

async function webConnectionFlood(): Promise<Outcome> {
  const scenario = 'web connection flood';
  const promise = 'dashboard connections capped; commands answer';
  if (process.getuid?.() !== 0) return { scenario, promise, result: 'skipped', figures: 'needs root (runs the flood as nobody)' };
  const status = JSON.parse(await tend.ok(['web', '--port', '0', '--json'])) as { port: number };
  const pid = daemonPid();
  const before = fdCount(pid);
  const code = `const net=require('node:net');for(let n=0;n<2000;n++){const s=net.createConnection({host:'127.0.0.1',port:${status.port}});s.on('error',()=>{});}setInterval(()=>{},1<<30);`;
  const flood = spawn(process.execPath, ['-e', code], { uid: 65534, gid: 65534, cwd: '/', env: {}, stdio: 'ignore' });
  await delay(3000);
  const grown = fdCount(pid) - before;
  const ping = await worstPingMs(5);
  flood.kill('SIGKILL');
  await tend.ok(['web', '--stop']);
  return {
    scenario,
    promise,
    result: grown <= 72 && Number.isFinite(ping) ? 'held' : 'BROKEN',
    figures: `2000 connections: +${grown} fds, worst ping ${ping.toFixed(0)} ms`,
  };
}

async function neverReadingClient(): Promise<Outcome> {
  const pid = daemonPid();
  const before = rssMiB(pid);
  const socket = createConnection(join(tend.home, 'tend.sock'));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.write(`${JSON.stringify({ id: 0, method: 'hello', params: { protocol: 1, client: 'chaos' } })}\n`);
  const batch = `${JSON.stringify({ id: 1, method: 'list' })}\n`.repeat(1000);
  for (let n = 0; n < 500; n += 1) socket.write(batch);
  await delay(3000);
  const grown = rssMiB(pid) - before;
  socket.destroy();
  return {
    scenario: 'client that never reads',
    promise: 'daemon memory bounded',
    result: grown < 96 ? 'held' : 'BROKEN',
    figures: `500,000 list requests: RSS +${grown.toFixed(1)} MiB`,
  };
}

async function hugeLogTail(dir: string): Promise<Outcome> {
  const file = join(dir, 'big-out.log');
  const fd = openSync(file, 'w');
  for (let block = 0; block < 100; block += 1) {
    writeSync(fd, Array.from({ length: 10_000 }, (_, n) => `line ${block * 10_000 + n} ${'x'.repeat(55)}`).join('\n') + '\n');
  }
  closeSync(fd);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'biglog', '--output', file]);
  const pid = daemonPid();
  const [cpu0, rss0] = [cpuMs(pid), rssMiB(pid)];
  const result = await tend.run(['logs', 'biglog', '--lines', '100000', '--nostream', '--out', '--raw'], { timeoutMs: 60_000 });
  const [cpu, rss] = [cpuMs(pid) - cpu0, rssMiB(pid) - rss0];
  await tend.ok(['delete', 'biglog']);
  const lines = result.stdout.split('\n').length - 1;
  return {
    scenario: 'logs --lines 100000, 1M-line log',
    promise: 'bounded memory, linear time, no hang',
    result: result.code === 0 && rss < 64 ? 'held' : 'BROKEN',
    figures: `${lines} lines (4 MiB cap), daemon CPU ${cpu} ms, RSS +${rss.toFixed(1)} MiB`,
  };
}

async function instanceCap(): Promise<Outcome> {
  const result = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'huge', '-i', '100000', '-x']);
  const listed = (await tend.jlist()).length;
  return {
    scenario: 'instances: 100000',
    promise: 'refused with a clear error, nothing spawned',
    result: result.code !== 0 && listed === 0 ? 'held' : 'BROKEN',
    figures: result.stderr.trim().slice(0, 90),
  };
}

async function manyInstances(): Promise<Outcome> {
  const socket = await pingOverOneSocket(tend.home, 'chaos-many');
  const started = performance.now();
  const start = tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'many', '-i', '300', '-x'], { timeoutMs: 120_000 });
  // A CLI round trip itself costs a Node start on a machine busy booting 300 Node apps.
  const cliPing = await worstPingMs(5);
  await start;
  await tend.waitForStatus('many', 'online', 300, 120_000);
  const took = performance.now() - started;
  const ping = await socket.stop();
  const pid = daemonPid();
  const rss = rssMiB(pid);
  await tend.ok(['delete', 'many']);
  return {
    scenario: '300 instances started at once',
    promise: 'control socket answers within 100 ms',
    result: ping <= 100 ? 'held' : 'BROKEN',
    figures: `worst ping over one socket ${ping.toFixed(0)} ms (CLI ping ${cliPing.toFixed(0)} ms), all online after ${took.toFixed(0)} ms, daemon RSS ${rss.toFixed(1)} MiB`,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-chaos-data-'));
  const outcomes: Outcome[] = [];
  try {
    await tend.ok(['ping']);
    const scenarios: Array<[string, () => Promise<Outcome>]> = [
      ['web-flood', webConnectionFlood],
      ['never-reading-client', neverReadingClient],
      ['huge-log-tail', () => hugeLogTail(dir)],
      ['instance-cap', instanceCap],
      ['many-instances', manyInstances],
      ['protocol-fuzz', () => protocolFuzz(tend)],
      ['config-fuzz', () => configFuzz(dir)],
      ['kill9', kill9AtRandomMoments],
      ['restarts', manyRestarts],
      ['reloads', manyReloads],
      ['log-flood', logFlood],
    ];
    // `npm run chaos -- many-instances kill9` runs only the named ones.
    const only = process.argv.slice(2);
    const unknown = only.filter((name) => !scenarios.some(([known]) => known === name));
    if (unknown.length > 0) throw new Error(`unknown chaos scenario ${unknown.join(', ')}; known: ${scenarios.map(([name]) => name).join(', ')}`);
    for (const [name, run] of scenarios) {
      if (only.length > 0 && !only.includes(name)) continue;
      try {
        outcomes.push(await run());
      } catch (error) {
        outcomes.push({
          scenario: name,
          promise: '',
          result: 'BROKEN',
          figures: error instanceof Error ? error.message.slice(0, 120) : String(error),
        });
      }
    }
  } finally {
    await tend.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  const header: Outcome = { scenario: 'scenario', promise: 'promise', result: 'result', figures: 'figures' };
  const cells = (o: Outcome): string[] =>
    [o.scenario, o.promise, o.result, o.figures].map((cell) => cell.replaceAll('|', '/').replaceAll('\n', ' '));
  const widths = [0, 1, 2, 3].map((n) => Math.max(...[header, ...outcomes].map((o) => cells(o)[n]?.length ?? 0)));
  const line = (values: string[]): string => `| ${values.map((value, n) => value.padEnd(widths[n] ?? 0)).join(' | ')} |`;
  process.stdout.write(
    `${[line(cells(header)), line(widths.map((w) => '-'.repeat(w))), ...outcomes.map((o) => line(cells(o)))].join('\n')}\n`,
  );
  process.exitCode = outcomes.some((o) => o.result === 'BROKEN') ? 1 : 0;
}

await main();
