import { type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import type { Metric } from '../lib/report.js';
import { type Scenario, SkipScenario } from '../lib/scenario.js';
import { nowMs } from '../lib/time.js';

const APPS = 10;
const RUNS = 5;

interface Cycle {
  /** save + kill + resurrect until every app runs its program again. */
  runningMs: number;
  /** ... until the manager reports every app online. */
  onlineMs: number;
}

/** save, kill (apps and daemon), resurrect; times until the apps run, then until they are online. */
async function cycle(manager: Manager): Promise<Cycle> {
  const started = nowMs();
  const save = await manager.run(['save']);
  if (save.code !== 0) {
    if (manager.kind === 'tend') throw new SkipScenario(`\`tend save\` exited ${save.code}: ${(save.stderr + save.stdout).trim().split('\n')[0] ?? ''}`);
    throw new Error(`pm2 save exited ${save.code}`);
  }
  await manager.ok(['kill']);
  await manager.ok(['resurrect']);
  await manager.waitRunning(APPS);
  const runningMs = nowMs() - started;
  await manager.waitOnline(APPS);
  return { runningMs, onlineMs: nowMs() - started };
}

async function measure(kind: ManagerKind): Promise<Cycle[]> {
  return withManager(kind, async (manager) => {
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', APPS)]);
    await manager.waitOnline(APPS);
    const cycles: Cycle[] = [];
    for (let k = 0; k < RUNS; k++) cycles.push(await cycle(manager));
    return cycles;
  });
}

export const resurrectScenario: Scenario = {
  name: 'resurrect',
  summary: `save + kill + resurrect with ${APPS} apps, until all run again, and until all are online`,
  async run(log) {
    log('tend');
    const tend = await measure('tend');
    log('PM2');
    const pm2 = await measure('pm2');
    const base = { scenario: 'resurrect', unit: 'ms' };
    return [
      // The same moment for both: every app's process is back and running its program.
      { ...base, name: `save+kill+resurrect, ${APPS} apps running`, tend: tend.map((c) => c.runningMs), pm2: pm2.map((c) => c.runningMs), target: { kind: 'ratio', max: 0.5 } },
      {
        ...base,
        name: `save+kill+resurrect, ${APPS} apps online`,
        tend: tend.map((c) => c.onlineMs),
        pm2: pm2.map((c) => c.onlineMs),
        note: 'tend reports online once an app has survived min_uptime (1000 ms) or sent ready; PM2 reports online as soon as it has spawned the process',
      },
    ] satisfies Metric[];
  },
};
