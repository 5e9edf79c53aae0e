import { join } from 'node:path';
import { freshConnectionsEvery10Ms } from '../lib/fresh-load.js';
import { freePort, waitServing } from '../lib/http-probe.js';
import { type ManagerKind, REPO_ROOT, withManager } from '../lib/manager.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

const RUNS = 2;
const RELOADS = 3;

/**
 * A Python HTTP app reloaded 3 times while a client opens a fresh connection every 10 ms.
 * tend hands the app its socket (`--listen`), so the port never closes; PM2 has no handoff,
 * so its fork-mode app binds the port itself and the port is closed between two processes.
 */
async function measure(kind: ManagerKind): Promise<{ failed: number; requests: number }> {
  const port = await freePort();
  return withManager(kind, async (manager) => {
    // The app of the integration test (test/fixtures/apps): fd 3 under tend, its own port under PM2.
    const args = ['start', join(REPO_ROOT, 'test/fixtures/apps/http-inherited-fd.py'), '--name', 'py', '--interpreter', 'python3'];
    if (kind === 'tend') args.push('--listen', `127.0.0.1:${port}`);
    await manager.ok(args, { env: { PORT: String(port) } });
    await manager.waitOnline(1);
    await waitServing(port);
    const load = freshConnectionsEvery10Ms(port);
    for (let k = 0; k < RELOADS; k++) {
      await manager.ok(['reload', 'py']);
      await manager.waitOnline(1);
      await delay(300);
    }
    const { requests, failures } = await load.stop();
    return { failed: failures.length, requests };
  });
}

export const handoffScenario: Scenario = {
  name: 'handoff',
  summary: `a Python HTTP app (fork mode) reloaded ${RELOADS} times under a fresh connection every 10 ms: failed requests`,
  async run(log) {
    const tend: number[] = [];
    const pm2: number[] = [];
    const requests: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      log(`run ${run + 1}: tend (socket handoff)`);
      const t = await measure('tend');
      log(`run ${run + 1}: PM2`);
      const p = await measure('pm2');
      tend.push(t.failed);
      pm2.push(p.failed);
      requests.push(t.requests, p.requests);
    }
    return [
      {
        scenario: 'handoff',
        name: `failed requests, ${RELOADS} reloads of a Python app (issue 18)`,
        unit: 'requests',
        tend,
        pm2,
        target: { kind: 'absolute', max: 0 },
        note: `requests per run: ${requests.join(', ')}`,
      },
    ] satisfies Metric[];
  },
};
