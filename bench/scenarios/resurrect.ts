import { type Manager, type ManagerKind, withManager } from '../lib/manager.js';
import type { Metric } from '../lib/report.js';
import { type Scenario, SkipScenario } from '../lib/scenario.js';
import { nowMs } from '../lib/time.js';

const APPS = 10;
const RUNS = 3;

/** save, kill (apps and daemon), resurrect, until every app is online again. */
async function cycle(manager: Manager): Promise<number> {
  const started = nowMs();
  const save = await manager.run(['save']);
  if (save.code !== 0) {
    if (manager.kind === 'tend') throw new SkipScenario(`\`tend save\` exited ${save.code}: ${(save.stderr + save.stdout).trim().split('\n')[0] ?? ''}`);
    throw new Error(`pm2 save exited ${save.code}`);
  }
  await manager.ok(['kill']);
  await manager.ok(['resurrect']);
  await manager.waitOnline(APPS);
  return nowMs() - started;
}

async function measure(kind: ManagerKind): Promise<number[]> {
  return withManager(kind, async (manager) => {
    await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', APPS)]);
    await manager.waitOnline(APPS);
    const times: number[] = [];
    for (let k = 0; k < RUNS; k++) times.push(await cycle(manager));
    return times;
  });
}

export const resurrectScenario: Scenario = {
  name: 'resurrect',
  summary: `save + kill + resurrect with ${APPS} apps, until all are online again`,
  async run(log) {
    log('tend');
    const tend = await measure('tend');
    log('PM2');
    const pm2 = await measure('pm2');
    return [{ scenario: 'resurrect', name: `save+kill+resurrect, ${APPS} apps`, unit: 'ms', tend, pm2, target: { kind: 'ratio', max: 0.5 } }] satisfies Metric[];
  },
};
