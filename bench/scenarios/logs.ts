import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, type ManagerKind, withManager } from '../lib/manager.js';
import { checkNumberedLines, type LineCheck } from '../lib/line-check.js';
import { readCpuMs, readRssBytes } from '../lib/proc.js';
import { summarize, type Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { nowMs, until } from '../lib/time.js';

const LINES = 2_000_000;
const LINE_BYTES = 100;
const RUNS = 3;
const MIB = 1024 * 1024;
/** RSS sampling period while the flood runs; short enough to catch a peak, light on a 2-core box. */
const RSS_SAMPLE_MS = 25;

interface FloodRun {
  ms: number;
  /** Of `ms`, the part the `start` command itself took (CLI start-up, daemon spawning the app). */
  startCommandMs: number;
  check: LineCheck;
  daemonCpuMs: number;
  peakGrowthMiB: number;
  peakMiB: number;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The floor: the same app piped into `cat > file`, from spawn until the shell exits. */
async function floorRun(): Promise<{ ms: number; check: LineCheck }> {
  const folder = mkdtempSync('/tmp/bf-');
  const file = join(folder, 'out.log');
  try {
    const started = nowMs();
    await new Promise<void>((resolve, reject) => {
      const shell = spawn('sh', ['-c', `"${process.execPath}" "${join(FIXTURES, 'log-flood.cjs')}" | cat > "${file}"`], { stdio: 'ignore', env: { ...process.env, LINES: String(LINES) } });
      shell.on('error', reject);
      shell.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`floor pipeline exited ${code}`))));
    });
    const ms = nowMs() - started;
    return { ms, check: await checkNumberedLines(file, LINES) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function managedRun(kind: ManagerKind): Promise<FloodRun> {
  return withManager(kind, async (manager) => {
    await manager.ok(['ping']);
    const pid = manager.daemonPid();
    if (pid === null) throw new Error(`${manager.label}: no daemon pid`);
    const rssBefore = readRssBytes(pid) ?? 0;
    const cpuBefore = readCpuMs(pid) ?? 0;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, readRssBytes(pid) ?? 0)), RSS_SAMPLE_MS);
    const file = manager.logFile('flood');
    const started = nowMs();
    let startCommandMs: number;
    try {
      startCommandMs = (await manager.ok(manager.startArgs('log-flood.cjs', 'flood', { autorestart: false }), { env: { LINES: String(LINES) } })).ms;
      await until(() => (fileSize(file) >= LINES * LINE_BYTES ? true : undefined), `${LINES} lines in ${file}`, 120_000, 10);
    } finally {
      clearInterval(sampler);
    }
    const ms = nowMs() - started;
    const daemonCpuMs = (readCpuMs(pid) ?? 0) - cpuBefore;
    peak = Math.max(peak, readRssBytes(pid) ?? 0);
    return { ms, startCommandMs, check: await checkNumberedLines(file, LINES), daemonCpuMs, peakGrowthMiB: (peak - rssBefore) / MIB, peakMiB: peak / MIB };
  });
}

export const logsScenario: Scenario = {
  name: 'logs',
  summary: `log flood: ${LINES / 1e6} M numbered 100-byte lines; time until all are in the file, loss/order, daemon CPU and peak RSS`,
  async run(log) {
    const runs: Record<ManagerKind, FloodRun[]> = { tend: [], pm2: [] };
    const floor: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      log(`run ${k + 1}/${RUNS}: floor, tend, PM2`);
      const floorResult = await floorRun();
      if (floorResult.check.lost !== 0) throw new Error(`the floor pipeline lost ${floorResult.check.lost} lines: the fixture is broken`);
      floor.push(floorResult.ms);
      runs.tend.push(await managedRun('tend'));
      runs.pm2.push(await managedRun('pm2'));
    }
    const pick = (f: (run: FloodRun) => number): { tend: number[]; pm2: number[] } => ({ tend: runs.tend.map(f), pm2: runs.pm2.map(f) });
    const base = { scenario: 'logs' };
    const startCost = `of which the start command: tend ${runs.tend.map((r) => r.startCommandMs.toFixed(0)).join('/')} ms, PM2 ${runs.pm2.map((r) => r.startCommandMs.toFixed(0)).join('/')} ms`;
    // What is left once the start command has returned: the app's own start-up and the flood,
    // i.e. the same work as the floor, so its multiple of the floor is the log path's own cost.
    const afterStart = runs.tend.map((r) => r.ms - r.startCommandMs);
    const ratio = (summarize(afterStart)?.median ?? 0) / (summarize(floor)?.median ?? 1);
    const floodCost = `after it (app start-up + flood, the floor's work): tend ${afterStart.map((ms) => ms.toFixed(0)).join('/')} ms, ${ratio.toFixed(2)}x the floor`;
    const peaks = `peak RSS MiB: tend ${runs.tend.map((r) => r.peakMiB.toFixed(0)).join('/')}, PM2 ${runs.pm2.map((r) => r.peakMiB.toFixed(0)).join('/')}`;
    return [
      { ...base, name: 'all lines in the file', unit: 'ms', ...pick((r) => r.ms), floor: { label: 'node | cat', values: floor }, target: { kind: 'floor', max: 1.2 }, note: `${startCost}; ${floodCost}` },
      { ...base, name: 'lines lost', unit: 'lines', ...pick((r) => r.check.lost), target: { kind: 'absolute', max: 0 } },
      { ...base, name: 'lines out of order', unit: 'lines', ...pick((r) => r.check.outOfOrder), target: { kind: 'absolute', max: 0 } },
      { ...base, name: 'daemon CPU time', unit: 'ms', ...pick((r) => r.daemonCpuMs), target: { kind: 'ratio', max: 0.4 } },
      { ...base, name: 'daemon peak RSS growth', unit: 'MiB', ...pick((r) => r.peakGrowthMiB), target: { kind: 'ratio', max: 0.5 }, note: peaks },
    ] satisfies Metric[];
  },
};
