import { type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { nowMs } from '../lib/time.js';

const SIZES: ReadonlyArray<{ apps: number; runs: number }> = [
  { apps: 1, runs: 5 },
  { apps: 10, runs: 5 },
  { apps: 50, runs: 3 },
];

/** From the `start <ecosystem>` command until jlist shows every app online (daemon already up). */
async function timeStart(manager: Manager, apps: number): Promise<number> {
  const config = manager.writeEcosystem('idle.cjs', `s${apps}-`, apps);
  const started = nowMs();
  await manager.ok(['start', config]);
  await manager.waitOnline(apps);
  const ms = nowMs() - started;
  await manager.ok(['delete', 'all']);
  return ms;
}

export const startScenario: Scenario = {
  name: 'start',
  summary: 'start 1, 10 and 50 apps from one ecosystem file until jlist shows all online',
  async run(log) {
    const metrics: Metric[] = [];
    for (const { apps, runs } of SIZES) {
      const times: Record<ManagerKind, number[]> = { tend: [], pm2: [] };
      for (const kind of ['tend', 'pm2'] as const) {
        log(`${kind}: ${apps} apps x ${runs}`);
        await withManager(kind, async (manager) => {
          await manager.ok(['ping']);
          for (let k = 0; k < runs; k++) times[kind].push(await timeStart(manager, apps));
        });
      }
      const metric: Metric = { scenario: 'start', name: `${apps} app${apps === 1 ? '' : 's'} online`, unit: 'ms', tend: times.tend, pm2: times.pm2 };
      if (apps === 50) metric.target = { kind: 'ratio', max: 0.6 };
      metrics.push(metric);
    }
    return metrics;
  },
};
