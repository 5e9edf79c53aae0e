import { readFileSync, readdirSync } from 'node:fs';
import { type Manager, withManager } from '../lib/manager.js';
import { readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, nowMs } from '../lib/time.js';

/**
 * Two identical tend daemons ("twins"), each with 50 idle apps and its dashboard server up;
 * in each 30 s phase one of them has a page open and the other not, both measured over the
 * same seconds, so whatever else the shared machine does weighs on both alike. The daemons'
 * samplers read /proc, whose cost follows the host's process count, and that drifts by more
 * than the whole effect we look for; a single daemon measured before and after (the first
 * version of this scenario) could not tell 10%. The page moves between the twins in
 * A-B-B-A blocks, so a difference between the twins themselves cancels too.
 */
const APPS = 50;
/** Each twin does one full /proc scan per 30 sampler ticks: a phase of 30 s holds one. */
const PHASE_MS = 30_000;
const BLOCK: readonly number[] = [0, 1, 1, 0];
const BLOCKS = 2;
/** After starting the apps: the daemons' first garbage collections and compilations. */
const WARMUP_MS = 15_000;
/** After opening a page: its greeting (the whole list, the log backlog) is not steady state. */
const SETTLE_MS = 5000;
const MIB = 1024 * 1024;

interface Twin {
  manager: Manager;
  pid: number;
  url: string;
  token: string;
}

interface Tab {
  bytes(): number;
  close(): void;
}

/**
 * CPU time of every thread of `pid` in ms, from the scheduler's nanosecond counters
 * (/proc/<pid>/task/<tid>/schedstat): /proc/<pid>/stat counts 10 ms ticks, which is 0.03% of a
 * core over a phase, a third of what we want to see. Node's threads live as long as the process.
 */
function readCpuNs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between readdir and read.
    }
  }
  return ns;
}

async function startTwin(manager: Manager): Promise<Twin> {
  await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', APPS)]);
  await manager.waitOnline(APPS);
  const pid = manager.daemonPid();
  if (pid === null) throw new Error('tend: no daemon pid');
  return { manager, pid, url: '', token: '' };
}

/** `tend web --port 0`: the server stays up for the whole run; only the page comes and goes. */
async function startDashboard(twin: Twin): Promise<void> {
  const status = JSON.parse((await twin.manager.run(['web', '--port', '0', '--json'])).stdout) as { url: string; tokenUrl: string };
  twin.url = status.url;
  twin.token = new URL(status.tokenUrl).searchParams.get('token') ?? '';
}

/** One dashboard tab: the SSE stream with an app selected, read and discarded like a browser would. */
async function openTab(twin: Twin, app: string): Promise<Tab> {
  const abort = new AbortController();
  const response = await fetch(`${twin.url}api/events?app=${app}`, { headers: { Authorization: `Bearer ${twin.token}` }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`SSE stream answered ${response.status}`);
  let received = 0;
  const reader = response.body.getReader();
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      received += chunk.value?.length ?? 0;
    }
  })();
  return { bytes: () => received, close: () => abort.abort() };
}

/** One phase: CPU of the twin with the page and of the one without, % of one core, and RSS at its end. */
interface PhaseReading {
  withPage: number;
  without: number;
  rssWithPageMiB: number;
  rssWithoutMiB: number;
}

async function measurePhase(withPage: Twin, without: Twin): Promise<PhaseReading> {
  const before = [readCpuNs(withPage.pid), readCpuNs(without.pid)];
  const started = nowMs();
  await delay(PHASE_MS);
  const after = [readCpuNs(withPage.pid), readCpuNs(without.pid)];
  const wallNs = (nowMs() - started) * 1e6;
  const percent = (k: number): number => (((after[k] ?? 0) - (before[k] ?? 0)) / wallNs) * 100;
  const rss = (twin: Twin): number => (readRssBytes(twin.pid) ?? 0) / MIB;
  return { withPage: percent(0), without: percent(1), rssWithPageMiB: rss(withPage), rssWithoutMiB: rss(without) };
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function standardError(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1) / values.length);
}

async function runTwins(twins: [Twin, Twin], log: (line: string) => void): Promise<Metric[]> {
  await delay(WARMUP_MS);
  // RSS of daemons that never served the dashboard (its code is loaded on the first start).
  const rssNeverStarted = twins.map((twin) => (readRssBytes(twin.pid) ?? 0) / MIB);
  for (const twin of twins) await startDashboard(twin);
  // Each twin serves a page once before measuring: first-time costs (compiling the feed's
  // code, the first connection) belong to no phase.
  for (const twin of twins) {
    const tab = await openTab(twin, 'idle0');
    await delay(SETTLE_MS);
    tab.close();
  }
  const blocks: PhaseReading[][] = [];
  let streamedBytes = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const block: PhaseReading[] = [];
    for (const k of BLOCK) {
      const withPage = twins[k] as Twin;
      const without = twins[1 - k] as Twin;
      const tab = await openTab(withPage, 'idle0');
      await delay(SETTLE_MS);
      log(`block ${b + 1}/${BLOCKS}: page open on twin ${k + 1}, ${PHASE_MS / 1000} s`);
      block.push(await measurePhase(withPage, without));
      streamedBytes += tab.bytes();
      tab.close();
    }
    blocks.push(block);
  }
  const phases = blocks.flat();
  const deltas = phases.map((p) => p.withPage - p.without);
  const cpuNote =
    `twin daemons measured over the same seconds, the page moving between them in ${BLOCK.length}-phase blocks of ${PHASE_MS / 1000} s ` +
    `(one value per block); means ${mean(phases.map((p) => p.withPage)).toFixed(3)}% with the page vs ${mean(phases.map((p) => p.without)).toFixed(3)}% without, ` +
    `difference ${mean(deltas).toFixed(3)} ± ${standardError(deltas).toFixed(3)} (standard error over ${phases.length} phases); ` +
    `the stream carried ${((streamedBytes / (phases.length * (PHASE_MS + SETTLE_MS))) * 1000).toFixed(0)} B/s`;
  const rssNote = `floor: both twins before their dashboard server ever started; the twin without the page ended its phases at ${mean(phases.map((p) => p.rssWithoutMiB)).toFixed(1)} MiB`;
  return [
    {
      scenario: 'web',
      name: `daemon CPU, ${APPS} apps, one SSE client (issue 8)`,
      unit: '% core',
      tend: blocks.map((block) => mean(block.map((p) => p.withPage))),
      pm2: [],
      floor: { label: 'twin, no page', values: blocks.map((block) => mean(block.map((p) => p.without))) },
      target: { kind: 'floor', max: 1.1 },
      note: cpuNote,
    },
    {
      scenario: 'web',
      name: `daemon RSS, ${APPS} apps, one SSE client (issue 8)`,
      unit: 'MiB',
      tend: phases.map((p) => p.rssWithPageMiB),
      pm2: [],
      floor: { label: 'no dashboard', values: rssNeverStarted },
      target: { kind: 'floor', max: 1.1 },
      note: rssNote,
    },
  ];
}

export const webScenario: Scenario = {
  name: 'web',
  summary: `tend daemon CPU and RSS with ${APPS} idle apps and one dashboard SSE client, against a twin daemon without it over the same seconds`,
  async run(log) {
    return withManager('tend', (first) =>
      withManager('tend', async (second) => {
        const twins: [Twin, Twin] = [await startTwin(first), await startTwin(second)];
        return runTwins(twins, log);
      }),
    );
  },
};
