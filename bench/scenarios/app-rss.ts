import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, type ManagerKind, withManager } from '../lib/manager.js';
import { killQuietly, readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

const RUNS = 3;
const SETTLE_MS = 2000;
const MIB = 1024 * 1024;

async function plainNodeRssMiB(): Promise<number> {
  const child = spawn(process.execPath, [join(FIXTURES, 'idle.cjs')], { stdio: 'ignore' });
  try {
    await delay(SETTLE_MS);
    const rss = child.pid === undefined ? null : readRssBytes(child.pid);
    if (rss === null) throw new Error('plain node app died');
    return rss / MIB;
  } finally {
    if (child.pid !== undefined) killQuietly(child.pid);
  }
}

/** RSS of the managed process itself (its main pid: PM2's wrapper or tend's plain spawn). */
async function managedRssMiB(kind: ManagerKind): Promise<number> {
  return withManager(kind, async (manager) => {
    await manager.ok(manager.startArgs('idle.cjs', 'idle'));
    const [app] = await manager.waitOnline(1);
    await delay(SETTLE_MS);
    const rss = app === undefined ? null : readRssBytes(app.pid);
    if (rss === null) throw new Error(`${manager.label}: managed app died`);
    return rss / MIB;
  });
}

export const appRssScenario: Scenario = {
  name: 'app-rss',
  summary: 'RSS of one idle managed app against the same app under plain node',
  async run(log) {
    const plain: number[] = [];
    const tend: number[] = [];
    const pm2: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      log(`run ${k + 1}/${RUNS}`);
      plain.push(await plainNodeRssMiB());
      tend.push(await managedRssMiB('tend'));
      pm2.push(await managedRssMiB('pm2'));
    }
    return [
      { scenario: 'app-rss', name: 'managed app RSS', unit: 'MiB', tend, pm2, floor: { label: 'plain node', values: plain }, target: { kind: 'floor', max: 1.05 } },
    ] satisfies Metric[];
  },
};
