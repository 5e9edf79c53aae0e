import { type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import { readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

const RUNS = 3;
/** Let start-up garbage be collected and the sampler settle before reading RSS. */
const SETTLE_MS = 3000;
const MIB = 1024 * 1024;

async function daemonRssMiB(manager: Manager): Promise<number> {
  await delay(SETTLE_MS);
  const pid = manager.daemonPid();
  const rss = pid === null ? null : readRssBytes(pid);
  if (rss === null) throw new Error(`${manager.label}: no daemon pid/RSS in ${manager.home}`);
  return rss / MIB;
}

interface RssRun {
  idle: number;
  ten: number;
  fifty: number;
}

async function measure(kind: ManagerKind): Promise<RssRun> {
  return withManager(kind, async (manager) => {
    await manager.ok(['ping']);
    const idle = await daemonRssMiB(manager);
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', 10)]);
    await manager.waitOnline(10);
    const ten = await daemonRssMiB(manager);
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', 40, 10)]);
    await manager.waitOnline(50);
    const fifty = await daemonRssMiB(manager);
    return { idle, ten, fifty };
  });
}

export const rssScenario: Scenario = {
  name: 'rss',
  summary: 'daemon RSS (VmRSS) idle, with 10 and with 50 idle apps',
  async run(log) {
    const runs: Record<ManagerKind, RssRun[]> = { tend: [], pm2: [] };
    for (let k = 0; k < RUNS; k++) {
      for (const kind of ['tend', 'pm2'] as const) {
        log(`${kind} run ${k + 1}/${RUNS}`);
        runs[kind].push(await measure(kind));
      }
    }
    const pick = (f: (run: RssRun) => number): { tend: number[]; pm2: number[] } => ({ tend: runs.tend.map(f), pm2: runs.pm2.map(f) });
    const base = { scenario: 'rss', unit: 'MiB' };
    return [
      { ...base, name: 'daemon RSS idle', ...pick((r) => r.idle), target: { kind: 'ratio', max: 0.8 } },
      { ...base, name: 'daemon RSS, 10 apps', ...pick((r) => r.ten) },
      { ...base, name: 'daemon RSS, 50 apps', ...pick((r) => r.fifty) },
      { ...base, name: 'daemon RSS growth 0->50 apps', ...pick((r) => r.fifty - r.idle), target: { kind: 'ratio', max: 0.5 } },
    ] satisfies Metric[];
  },
};
