import { type ManagerKind, withManager } from '../lib/manager.js';
import { readCpuMs, readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

/** 30 s in three windows, so the figure also shows its spread. */
const WINDOWS = 3;
const WINDOW_MS = 10_000;
const SETTLE_MS = 3000;
const MIB = 1024 * 1024;

interface CpuRun {
  windowsPercent: number[];
  totalPercent: number;
  rssMiB: number;
}

async function measure(kind: ManagerKind): Promise<CpuRun> {
  return withManager(kind, async (manager) => {
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', 50)]);
    await manager.waitOnline(50);
    await delay(SETTLE_MS);
    const pid = manager.daemonPid();
    if (pid === null) throw new Error(`${manager.label}: no daemon pid`);
    const cpuAt = (): number => {
      const ms = readCpuMs(pid);
      if (ms === null) throw new Error(`${manager.label}: daemon ${pid} died`);
      return ms;
    };
    const first = cpuAt();
    let previous = first;
    const windowsPercent: number[] = [];
    for (let k = 0; k < WINDOWS; k++) {
      await delay(WINDOW_MS);
      const current = cpuAt();
      windowsPercent.push(((current - previous) / WINDOW_MS) * 100);
      previous = current;
    }
    const rss = readRssBytes(pid) ?? 0;
    return { windowsPercent, totalPercent: ((previous - first) / (WINDOWS * WINDOW_MS)) * 100, rssMiB: rss / MIB };
  });
}

export const cpuScenario: Scenario = {
  name: 'cpu',
  summary: 'daemon CPU (% of one core, utime+stime) over 30 s with 50 idle apps, and its RSS then',
  async run(log) {
    log('tend, 30 s');
    const tend = await measure('tend');
    log('PM2, 30 s');
    const pm2 = await measure('pm2');
    const base = { scenario: 'cpu', unit: '% core' };
    const note = `30 s totals: tend ${tend.totalPercent.toFixed(2)}%, PM2 ${pm2.totalPercent.toFixed(2)}%; median/min/max are over three 10 s windows`;
    return [
      { ...base, name: 'daemon CPU, 50 idle apps (issue 2)', tend: tend.windowsPercent, pm2: pm2.windowsPercent, target: { kind: 'ratio', max: 0.5 }, note },
      { ...base, name: 'daemon CPU, 50 apps, sampling 1 s (issue 6)', tend: tend.windowsPercent, pm2: pm2.windowsPercent, target: { kind: 'ratio', max: 1.0 } },
      { scenario: 'cpu', name: 'daemon RSS, 50 apps (issue 6)', unit: 'MiB', tend: [tend.rssMiB], pm2: [pm2.rssMiB], target: { kind: 'ratio', max: 0.8 } },
    ] satisfies Metric[];
  },
};
