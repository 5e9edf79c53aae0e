import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import { checkNumberedLines, type LineCheck } from '../lib/line-check.js';
import { readCpuMs, readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, epochMs } from '../lib/time.js';

const LINES = 2_000_000;
const LINE_BYTES = 100;
const RUNS = 5;
/** How often every run polls its file's size (floor included). */
const POLL_MS = 5;
const MIB = 1024 * 1024;
/** RSS sampling period while the flood runs; short enough to catch a peak, light on a 2-core box. */
const RSS_SAMPLE_MS = 25;
/** In cluster mode a manager may lose lines: the file not growing for this long ends the run. */
const CLUSTER_STALL_MS = 2000;
const CLUSTER_RUNS = 3;

interface FloodRun {
  /** From the app's own process start until every line is in the file: the judged figure. */
  fromAppMs: number;
  /** From the `start` command until every line is in the file. */
  ms: number;
  /** Of `ms`, the part the `start` command itself took (CLI start-up, daemon spawning the app). */
  startCommandMs: number;
  check: LineCheck;
  daemonCpuMs: number;
  peakGrowthMiB: number;
  peakMiB: number;
}

interface FloorRun {
  fromAppMs: number;
  /** From spawning the pipeline's shell. */
  ms: number;
  check: LineCheck;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Polls until `file` holds every line and returns that moment (epoch ms, see epochMs). With
 * `stallMs`, also returns once the file has stopped growing for that long, with the moment it
 * last grew: a manager that loses lines never gets to every line.
 */
async function untilWritten(file: string, stallMs?: number): Promise<number> {
  const deadline = epochMs() + 120_000;
  let size = -1;
  let grewAt = epochMs();
  for (;;) {
    const current = fileSize(file);
    const at = epochMs();
    if (current !== size) {
      size = current;
      grewAt = at;
    }
    if (size >= LINES * LINE_BYTES) return at;
    if (stallMs !== undefined && size > 0 && at - grewAt >= stallMs) return grewAt;
    if (at > deadline) throw new Error(`timed out waiting for ${LINES} lines in ${file}`);
    await delay(POLL_MS);
  }
}

/** When the app's process started, as the fixture wrote it (performance.timeOrigin). */
function appStartedAt(markFile: string): number {
  const value = Number(readFileSync(markFile, 'utf8'));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`no start mark in ${markFile}`);
  return value;
}

/** The floor: the same app piped into `cat > file`. */
async function floorRun(): Promise<FloorRun> {
  const folder = mkdtempSync('/tmp/bf-');
  const file = join(folder, 'out.log');
  const mark = join(folder, 'start.mark');
  try {
    const started = epochMs();
    const exited = new Promise<void>((resolve, reject) => {
      const env = { ...process.env, LINES: String(LINES), START_MARK_FILE: mark };
      const shell = spawn('sh', ['-c', `"${process.execPath}" "${join(FIXTURES, 'log-flood.cjs')}" | cat > "${file}"`], { stdio: 'ignore', env });
      shell.on('error', reject);
      shell.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`floor pipeline exited ${code}`))));
    });
    // Polled like the managed runs, so no side gains from a finer clock.
    const done = await untilWritten(file);
    await exited;
    return { fromAppMs: done - appStartedAt(mark), ms: done - started, check: await checkNumberedLines(file, LINES) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type Mode = 'fork' | 'cluster';

/** Where the flood's stdout lands: PM2 adds the instance id in cluster mode, tend only with several instances. */
function floodFile(manager: Manager, mode: Mode): string {
  return mode === 'cluster' && manager.kind === 'pm2' ? join(manager.home, 'logs', 'flood-out-0.log') : manager.logFile('flood');
}

async function managedRun(kind: ManagerKind, mode: Mode = 'fork'): Promise<FloodRun> {
  return withManager(kind, async (manager) => {
    await manager.ok(['ping']);
    const pid = manager.daemonPid();
    if (pid === null) throw new Error(`${manager.label}: no daemon pid`);
    const rssBefore = readRssBytes(pid) ?? 0;
    const cpuBefore = readCpuMs(pid) ?? 0;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, readRssBytes(pid) ?? 0)), RSS_SAMPLE_MS);
    const file = floodFile(manager, mode);
    const mark = join(manager.home, 'start.mark');
    const started = epochMs();
    let startCommandMs: number;
    let done: number;
    try {
      const options = { autorestart: false, ...(mode === 'cluster' ? { instances: 1 } : {}) };
      const command = manager.ok(manager.startArgs('log-flood.cjs', 'flood', options), { env: { LINES: String(LINES), START_MARK_FILE: mark } });
      done = await untilWritten(file, mode === 'cluster' ? CLUSTER_STALL_MS : undefined);
      startCommandMs = (await command).ms;
    } finally {
      clearInterval(sampler);
    }
    const daemonCpuMs = (readCpuMs(pid) ?? 0) - cpuBefore;
    peak = Math.max(peak, readRssBytes(pid) ?? 0);
    return {
      fromAppMs: done - appStartedAt(mark),
      ms: done - started,
      startCommandMs,
      check: await checkNumberedLines(file, LINES),
      daemonCpuMs,
      peakGrowthMiB: (peak - rssBefore) / MIB,
      peakMiB: peak / MIB,
    };
  });
}

export const logsScenario: Scenario = {
  name: 'logs',
  summary: `log flood: ${LINES / 1e6} M numbered 100-byte lines; time until all are in the file, loss/order, daemon CPU and peak RSS`,
  async run(log) {
    const runs: Record<ManagerKind, FloodRun[]> = { tend: [], pm2: [] };
    const floor: FloorRun[] = [];
    for (let k = 0; k < RUNS; k++) {
      log(`run ${k + 1}/${RUNS}: floor, tend, PM2`);
      const floorResult = await floorRun();
      if (floorResult.check.lost !== 0) throw new Error(`the floor pipeline lost ${floorResult.check.lost} lines: the fixture is broken`);
      floor.push(floorResult);
      runs.tend.push(await managedRun('tend'));
      runs.pm2.push(await managedRun('pm2'));
    }
    const pick = (f: (run: FloodRun) => number): { tend: number[]; pm2: number[] } => ({ tend: runs.tend.map(f), pm2: runs.pm2.map(f) });
    const base = { scenario: 'logs' };
    const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join('/');
    const startCost = `the start command itself: tend ${list(runs.tend.map((r) => r.startCommandMs))} ms, PM2 ${list(runs.pm2.map((r) => r.startCommandMs))} ms (CLI start-up: see the cli and start scenarios)`;
    const peaks = `peak RSS MiB: tend ${list(runs.tend.map((r) => r.peakMiB))}, PM2 ${list(runs.pm2.map((r) => r.peakMiB))}`;
    return [
      // Judged from the app's own start: the log path's cost, whatever launched the app. The
      // fixture writes performance.timeOrigin, so the floor, tend and PM2 share one clock.
      { ...base, name: 'all lines in the file, from app start', unit: 'ms', ...pick((r) => r.fromAppMs), floor: { label: 'node | cat', values: floor.map((r) => r.fromAppMs) }, target: { kind: 'floor', max: 1.2 } },
      { ...base, name: 'all lines in the file, from start command', unit: 'ms', ...pick((r) => r.ms), floor: { label: 'node | cat', values: floor.map((r) => r.ms) }, note: startCost },
      { ...base, name: 'lines lost', unit: 'lines', ...pick((r) => r.check.lost), target: { kind: 'absolute', max: 0 } },
      { ...base, name: 'lines out of order', unit: 'lines', ...pick((r) => r.check.outOfOrder), target: { kind: 'absolute', max: 0 } },
      { ...base, name: 'daemon CPU time', unit: 'ms', ...pick((r) => r.daemonCpuMs), target: { kind: 'ratio', max: 0.4 } },
      { ...base, name: 'daemon peak RSS growth', unit: 'MiB', ...pick((r) => r.peakGrowthMiB), target: { kind: 'ratio', max: 0.5 }, note: peaks },
    ] satisfies Metric[];
  },
};

export const logsClusterScenario: Scenario = {
  name: 'logs-cluster',
  summary: `log flood from one cluster worker (-i 1): ${LINES / 1e6} M numbered lines; lines lost, time, daemon CPU and peak RSS`,
  async run(log) {
    const runs: Record<ManagerKind, FloodRun[]> = { tend: [], pm2: [] };
    for (let k = 0; k < CLUSTER_RUNS; k++) {
      log(`run ${k + 1}/${CLUSTER_RUNS}: tend, PM2`);
      runs.tend.push(await managedRun('tend', 'cluster'));
      runs.pm2.push(await managedRun('pm2', 'cluster'));
    }
    const pick = (f: (run: FloodRun) => number): { tend: number[]; pm2: number[] } => ({ tend: runs.tend.map(f), pm2: runs.pm2.map(f) });
    const base = { scenario: 'logs-cluster' };
    return [
      { ...base, name: 'lines lost', unit: 'lines', ...pick((r) => r.check.lost), target: { kind: 'absolute', max: 0 } },
      { ...base, name: 'lines out of order', unit: 'lines', ...pick((r) => r.check.outOfOrder), target: { kind: 'absolute', max: 0 } },
      {
        ...base,
        name: 'last line in the file, from app start',
        unit: 'ms',
        ...pick((r) => r.fromAppMs),
        note: `a run ends when the file holds every line or stops growing for ${CLUSTER_STALL_MS} ms; where lines were lost, time, CPU and RSS cover only those that arrived (lines kept: tend ${runs.tend.map((r) => r.check.lines).join('/')}, PM2 ${runs.pm2.map((r) => r.check.lines).join('/')})`,
      },
      { ...base, name: 'daemon CPU time', unit: 'ms', ...pick((r) => r.daemonCpuMs) },
      { ...base, name: 'daemon peak RSS growth', unit: 'MiB', ...pick((r) => r.peakGrowthMiB) },
    ] satisfies Metric[];
  },
};
