import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { ppidOf } from '../../src/api/daemon-process.js';
import { freePort, waitServing } from '../lib/http-probe.js';
import { type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import { isAlive, killQuietly, readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, nowMs, until } from '../lib/time.js';

const RUNS = 2;
/** tend's guardian starts a daemon again only after it ran 3 s; PM2 is measured the same way. */
const DAEMON_AGE_MS = 3500;
/** How long the client keeps polling after the daemon was killed or the update returned. */
const AFTER_MS = 5000;
const POLL_EVERY_MS = 20;
const APPS_FOR_MEMORY = 50;

interface Outage {
  failed: number;
  requests: number;
  restarts: number;
  lostLines: number;
  daemonAnswersMs: number;
}

/** Polls `port` every 20 ms with a fresh connection, counting failures, until stopped. */
function pollHttp(port: number): { stop(): Promise<{ ok: number; failed: number }> } {
  let ok = 0;
  let failed = 0;
  let running = true;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, agent: false, timeout: 3000 }, (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode === 200 ? ok++ : failed++), resolve()));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => (failed++, resolve()));
      req.end();
    });
  const loop = (async () => {
    while (running) {
      const started = nowMs();
      await once();
      await delay(Math.max(0, POLL_EVERY_MS - (nowMs() - started)));
    }
  })();
  return { stop: async () => ((running = false), await loop, { ok, failed }) };
}

/** Numbered lines missing between the first and the last one in the log (0 for a complete log). */
function lostLines(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return 0;
  }
  const seen = new Set<number>();
  let max = -1;
  for (const line of text.split('\n')) {
    const n = Number.parseInt(line, 10);
    if (!Number.isInteger(n)) continue;
    seen.add(n);
    max = Math.max(max, n);
  }
  return max + 1 - seen.size;
}

async function appPids(manager: Manager): Promise<number[]> {
  return (await manager.list().catch(() => [])).map((app) => app.pid).filter((pid) => pid > 0);
}

/** One app under load; `disrupt` kills or replaces the daemon and resolves when a daemon answers again. */
async function measureOutage(kind: ManagerKind, disrupt: (manager: Manager) => Promise<number>): Promise<Outage> {
  const port = await freePort();
  return withManager(kind, async (manager) => {
    await manager.ok(manager.startArgs('http-numbered.cjs', 'web'), { env: { PORT: String(port) } });
    await manager.waitOnline(1);
    await waitServing(port);
    const [before] = await appPids(manager);
    const client = pollHttp(port);
    await delay(DAEMON_AGE_MS);
    const daemonAnswersMs = await disrupt(manager);
    await delay(AFTER_MS);
    const polled = await client.stop();
    const after = await appPids(manager);
    const restarts = before !== undefined && after.includes(before) && isAlive(before) ? 0 : 1;
    return { failed: polled.failed, requests: polled.ok + polled.failed, restarts, lostLines: lostLines(manager.logFile('web')), daemonAnswersMs };
  });
}

/** SIGKILL of the daemon; then the user's next command (`ping`), which starts a daemon if none runs. */
async function killDaemon(manager: Manager): Promise<number> {
  const pid = manager.daemonPid();
  if (pid === null) throw new Error(`${manager.label}: no daemon pid`);
  const killedAt = nowMs();
  killQuietly(pid);
  await until(() => (isAlive(pid) ? undefined : true), 'the daemon gone', 5000);
  await until(async () => ((await manager.run(['ping'], { timeoutMs: 10_000 })).code === 0 ? true : undefined), 'a daemon answering', 20_000);
  return nowMs() - killedAt;
}

async function update(manager: Manager): Promise<number> {
  return (await manager.ok(['update'], { timeoutMs: 120_000 })).ms;
}

/** Private memory (smaps_rollup Private_*) of one process, in bytes. */
function privateBytes(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return [...text.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)].reduce((sum, m) => sum + Number(m[1]) * 1024, 0);
  } catch {
    return 0;
  }
}

/** With 50 idle apps: the daemon's RSS plus the private memory of every holder (tend) or wrapper process (PM2 has none in fork mode). */
async function measureMemory(kind: ManagerKind): Promise<{ total: number; perHolder: number }> {
  return withManager(kind, async (manager) => {
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', APPS_FOR_MEMORY)]);
    await manager.waitOnline(APPS_FOR_MEMORY, 120_000);
    await delay(3000);
    const daemon = manager.daemonPid();
    const holders = kind === 'tend' ? holderPids(new Set(await appPids(manager))) : [];
    const holderBytes = holders.map(privateBytes);
    const sum = holderBytes.reduce((a, b) => a + b, 0);
    return { total: (daemon === null ? 0 : (readRssBytes(daemon) ?? 0)) + sum, perHolder: holders.length === 0 ? 0 : sum / holders.length };
  });
}

/** The parents of `apps` that are tend holders. */
function holderPids(apps: ReadonlySet<number>): number[] {
  const found: number[] = [];
  for (const app of apps) {
    const ppid = ppidOf(app);
    try {
      if (ppid !== null && readFileSync(`/proc/${ppid}/cmdline`, 'latin1').includes('tend-holder')) found.push(ppid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

async function runs(kind: ManagerKind, disrupt: (manager: Manager) => Promise<number>): Promise<Outage[]> {
  const results: Outage[] = [];
  for (let k = 0; k < RUNS; k++) results.push(await measureOutage(kind, disrupt));
  return results;
}

function outageMetrics(what: string, tend: Outage[], pm2: Outage[], timeName: string): Metric[] {
  const pick = (key: keyof Outage) => ({ tend: tend.map((o) => o[key]), pm2: pm2.map((o) => o[key]) });
  const zero = { kind: 'absolute', max: 0 } as const;
  return [
    { scenario: 'outage', name: `${what}: failed requests`, unit: 'count', ...pick('failed'), target: zero, note: `of ~${tend[0]?.requests ?? 0} requests, one every ${POLL_EVERY_MS} ms` },
    { scenario: 'outage', name: `${what}: lost lines`, unit: 'count', ...pick('lostLines'), target: zero },
    { scenario: 'outage', name: `${what}: app restarts`, unit: 'count', ...pick('restarts'), target: zero },
    { scenario: 'outage', name: `${what}: ${timeName}`, unit: 'ms', ...pick('daemonAnswersMs') },
  ];
}

export const outageScenario: Scenario = {
  name: 'outage',
  summary: 'daemon SIGKILL and update under HTTP load with a log stream: failed requests, lost lines, app restarts; daemon + holders memory with 50 apps',
  async run(log) {
    log('tend: daemon SIGKILL');
    const tendKill = await runs('tend', killDaemon);
    log('PM2: daemon SIGKILL');
    const pm2Kill = await runs('pm2', killDaemon);
    log('tend: update');
    const tendUpdate = await runs('tend', update);
    log('PM2: update');
    const pm2Update = await runs('pm2', update);
    log('memory with 50 apps');
    const tendMemory = await measureMemory('tend');
    const pm2Memory = await measureMemory('pm2');
    return [
      ...outageMetrics('daemon SIGKILL', tendKill, pm2Kill, 'until a daemon answers'),
      ...outageMetrics('update', tendUpdate, pm2Update, 'update command'),
      {
        scenario: 'outage',
        name: 'daemon + holders memory, 50 apps',
        unit: 'bytes',
        tend: [tendMemory.total],
        pm2: [pm2Memory.total],
        note: `tend: daemon VmRSS + each holder's private memory (${Math.round(tendMemory.perHolder / 1024)} KiB per holder); PM2: daemon VmRSS (fork-mode apps have no separate wrapper process)`,
      },
    ] satisfies Metric[];
  },
};
