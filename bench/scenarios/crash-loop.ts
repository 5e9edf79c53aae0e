import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, type ManagerKind, withManager } from '../lib/manager.js';
import { readCpuMs } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

const APPS = 10;
const WINDOW_MS = 20_000;
/** No give-up: the loop runs for the whole window under both managers. */
const MAX_RESTARTS = 1_000_000;

interface LoopRun {
  cpuPercent: number;
  restartsPerSecond: number;
}

async function measure(kind: ManagerKind): Promise<LoopRun> {
  return withManager(kind, async (manager) => {
    const apps = Array.from({ length: APPS }, (_, k) => ({ name: `loop${k}`, script: join(FIXTURES, 'crash-at-once.cjs'), max_restarts: MAX_RESTARTS }));
    const file = join(manager.home, 'loop.config.cjs');
    writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
    await manager.ok(['ping']);
    const pid = manager.daemonPid();
    if (pid === null) throw new Error(`${manager.label}: no daemon pid`);
    await manager.ok(['start', file]);
    await delay(2000);
    const restartsAt = async (): Promise<number> => (await manager.list()).reduce((sum, app) => sum + app.restarts, 0);
    const cpuBefore = readCpuMs(pid) ?? 0;
    const restartsBefore = await restartsAt();
    await delay(WINDOW_MS);
    const cpuAfter = readCpuMs(pid) ?? 0;
    const restartsAfter = await restartsAt();
    return { cpuPercent: ((cpuAfter - cpuBefore) / WINDOW_MS) * 100, restartsPerSecond: (restartsAfter - restartsBefore) / (WINDOW_MS / 1000) };
  });
}

export const crashLoopScenario: Scenario = {
  name: 'crash-loop',
  summary: `daemon CPU and restarts/s over 20 s while ${APPS} apps exit at once on every start (max_restarts ${MAX_RESTARTS})`,
  async run(log) {
    log('tend, 20 s');
    const tend = await measure('tend');
    log('PM2, 20 s');
    const pm2 = await measure('pm2');
    return [
      { scenario: 'crash-loop', name: `daemon CPU, ${APPS} crash-looping apps (issue 13)`, unit: '% core', tend: [tend.cpuPercent], pm2: [pm2.cpuPercent], target: { kind: 'absolute', max: 5 } },
      { scenario: 'crash-loop', name: 'restarts per second, all apps', unit: '/s', tend: [tend.restartsPerSecond], pm2: [pm2.restartsPerSecond] },
    ] satisfies Metric[];
  },
};
