import { type ManagerKind, withManager } from '../lib/manager.js';
import { freePort, timeUntilServedByNewPid, waitServing } from '../lib/http-probe.js';
import { killQuietly } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, nowMs } from '../lib/time.js';

const RUNS = 5;
/** Past both managers' default min_uptime (1 s), so each kill counts as a stable run's crash. */
const STABLE_MS = 1500;

async function measure(kind: ManagerKind): Promise<number[]> {
  const port = await freePort();
  return withManager(kind, async (manager) => {
    await manager.ok(manager.startArgs('http-hello.cjs', 'web'), { env: { PORT: String(port) } });
    await manager.waitOnline(1);
    await waitServing(port);
    const times: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      await delay(STABLE_MS);
      const [app] = await manager.waitOnline(1);
      if (app === undefined) throw new Error('no app');
      const killedAt = nowMs();
      killQuietly(app.pid);
      times.push((await timeUntilServedByNewPid(port, new Set([app.pid]), killedAt)).ms);
    }
    return times;
  });
}

export const kill9Scenario: Scenario = {
  name: 'kill9',
  summary: 'fork mode: kill -9 of an HTTP app until the port answers from the new pid',
  async run(log) {
    log('tend');
    const tend = await measure('tend');
    log('PM2');
    const pm2 = await measure('pm2');
    return [{ scenario: 'kill9', name: 'kill -9 -> serving (fork)', unit: 'ms', tend, pm2, target: { kind: 'ratio', max: 1.0 } }] satisfies Metric[];
  },
};
