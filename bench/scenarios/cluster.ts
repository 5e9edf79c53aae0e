import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import { freePort, timeUntilServedByNewPid, waitServing } from '../lib/http-probe.js';
import { type LoadResult, runLoad, startLoad } from '../lib/load.js';
import { killQuietly } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, nowMs } from '../lib/time.js';

const INSTANCES = 2;
const CONNECTIONS = 100;
const THROUGHPUT_RUNS = 2;
const WARMUP_S = 2;
const MEASURE_S = 8;
const RELOADS = 3;
const KILL_RUNS = 5;
const STABLE_MS = 1500;
const KINDS: ManagerKind[] = ['tend', 'pm2'];

async function startCluster(manager: Manager, script: string, port: number): Promise<void> {
  await manager.ok(manager.startArgs(script, 'web', { instances: INSTANCES }), { env: { PORT: String(port) } });
  await manager.waitOnline(INSTANCES);
  await waitServing(port);
}

async function measureThroughput(port: number): Promise<LoadResult> {
  await runLoad({ port, connections: CONNECTIONS, durationS: WARMUP_S });
  return runLoad({ port, connections: CONNECTIONS, durationS: MEASURE_S });
}

interface Throughput {
  rps: Record<ManagerKind | 'node', number[]>;
  p99: Record<ManagerKind | 'node', number[]>;
  generatorCpu: number[];
}

/** Plain node (one process), tend -i 2 and PM2 -i 2 all listen at once; runs alternate between them. */
async function throughput(log: (line: string) => void): Promise<Throughput> {
  const result: Throughput = { rps: { node: [], tend: [], pm2: [] }, p99: { node: [], tend: [], pm2: [] }, generatorCpu: [] };
  const nodePort = await freePort();
  const plain = spawn(process.execPath, [join(FIXTURES, 'http-hello.cjs')], { stdio: 'ignore', env: { ...process.env, PORT: String(nodePort) } });
  try {
    await waitServing(nodePort);
    await withManager('tend', (tend) =>
      withManager('pm2', async (pm2) => {
        const ports = { node: nodePort, tend: await freePort(), pm2: await freePort() };
        await startCluster(tend, 'http-hello.cjs', ports.tend);
        await startCluster(pm2, 'http-hello.cjs', ports.pm2);
        for (let k = 0; k < THROUGHPUT_RUNS; k++) {
          for (const target of ['node', 'tend', 'pm2'] as const) {
            log(`throughput ${target} run ${k + 1}/${THROUGHPUT_RUNS}`);
            const load = await measureThroughput(ports[target]);
            result.rps[target].push(load.requestsPerS);
            result.p99[target].push(load.p99Ms);
            result.generatorCpu.push(load.generatorCpuPercent);
          }
        }
      }),
    );
  } finally {
    if (plain.pid !== undefined) killQuietly(plain.pid);
  }
  return result;
}

interface ReloadRun {
  failures: number;
  reloadMs: number[];
  load: LoadResult;
}

/** Three reloads, one after the other, while keep-alive load runs; counts every failed request or socket error. */
async function reloadsUnderLoad(kind: ManagerKind, script: string): Promise<ReloadRun> {
  const port = await freePort();
  return withManager(kind, async (manager) => {
    await startCluster(manager, script, port);
    const load = await startLoad({ port, connections: CONNECTIONS, durationS: 120 });
    await delay(1000);
    const reloadMs: number[] = [];
    for (let k = 0; k < RELOADS; k++) {
      reloadMs.push((await manager.ok(['reload', 'web'], { env: { PORT: String(port) } })).ms);
      await manager.waitOnline(INSTANCES);
    }
    await delay(1000);
    const result = await load.stop();
    return { failures: result.errors + result.timeouts + result.non2xx, reloadMs, load: result };
  });
}

async function killWorker(kind: ManagerKind): Promise<number[]> {
  const port = await freePort();
  return withManager(kind, async (manager) => {
    await startCluster(manager, 'http-hello.cjs', port);
    const times: number[] = [];
    for (let k = 0; k < KILL_RUNS; k++) {
      await delay(STABLE_MS);
      const workers = await manager.waitOnline(INSTANCES);
      const victim = workers[k % INSTANCES];
      if (victim === undefined) throw new Error('no worker');
      const killedAt = nowMs();
      killQuietly(victim.pid);
      times.push((await timeUntilServedByNewPid(port, new Set(workers.map((w) => w.pid)), killedAt)).ms);
    }
    return times;
  });
}

export const clusterScenario: Scenario = {
  name: 'cluster',
  summary: 'cluster -i 2: hello-world req/s and p99 vs plain node, errors and duration of 3 reloads under load, kill -9 of a worker',
  async run(log) {
    const metrics: Metric[] = [];
    const tp = await throughput(log);
    const generator = `autocannon ${CONNECTIONS} keep-alive connections, ${MEASURE_S} s after ${WARMUP_S} s warm-up, own process using ${Math.round(Math.min(...tp.generatorCpu))}-${Math.round(Math.max(...tp.generatorCpu))}% of a core`;
    metrics.push(
      { scenario: 'cluster', name: 'hello req/s, -i 2', unit: 'req/s', tend: tp.rps.tend, pm2: tp.rps.pm2, floor: { label: 'plain node', values: tp.rps.node }, target: { kind: 'ratio', min: 1.0 }, note: generator },
      { scenario: 'cluster', name: 'hello p99, -i 2', unit: 'ms', tend: tp.p99.tend, pm2: tp.p99.pm2, floor: { label: 'plain node', values: tp.p99.node }, target: { kind: 'ratio', max: 1.0 } },
    );
    for (const [script, label] of [
      ['http-hello.cjs', 'no signal handling'],
      ['http-drain.cjs', 'drains on SIGINT'],
    ] as const) {
      const runs: Partial<Record<ManagerKind, ReloadRun>> = {};
      for (const kind of KINDS) {
        log(`${kind}: ${RELOADS} reloads under load, app ${label}`);
        runs[kind] = await reloadsUnderLoad(kind, script);
      }
      const detail = (run: ReloadRun | undefined): string =>
        run === undefined ? '' : `errors ${run.load.errors}, timeouts ${run.load.timeouts}, non2xx ${run.load.non2xx}, 2xx ${run.load.ok2xx}`;
      metrics.push(
        {
          scenario: 'cluster',
          name: `failed req + socket errors in ${RELOADS} reloads (${label})`,
          unit: 'count',
          tend: runs.tend ? [runs.tend.failures] : [],
          pm2: runs.pm2 ? [runs.pm2.failures] : [],
          target: { kind: 'absolute', max: 0 },
          note: `tend: ${detail(runs.tend)}; PM2: ${detail(runs.pm2)}`,
        },
        { scenario: 'cluster', name: `reload duration (${label})`, unit: 'ms', tend: runs.tend?.reloadMs ?? [], pm2: runs.pm2?.reloadMs ?? [], target: { kind: 'ratio', max: 1.0 } },
      );
    }
    const kills: Record<ManagerKind, number[]> = { tend: [], pm2: [] };
    for (const kind of KINDS) {
      log(`${kind}: kill -9 of a worker x ${KILL_RUNS}`);
      kills[kind] = await killWorker(kind);
    }
    metrics.push({ scenario: 'cluster', name: 'kill -9 worker -> new worker serving', unit: 'ms', tend: kills.tend, pm2: kills.pm2, target: { kind: 'ratio', max: 1.0 } });
    return metrics;
  },
};
