import { once } from 'node:events';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withManager } from '../lib/manager.js';
import { readCpuMs } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

const APPS = 50;
const WINDOW_MS = 20_000;
const RUNS = 2;

type Variant = 'none' | 'http' | 'tcp';

/**
 * The daemon's CPU with 50 apps each probed every second (an HTTP or a TCP liveness probe,
 * against one server of the bench's own, so only the daemon's side is measured), minus the same
 * daemon's CPU with the same 50 apps and no probes. The apps are `sleep` processes.
 */
async function daemonCpuPercent(variant: Variant, port: number): Promise<number> {
  return withManager('tend', async (manager) => {
    const check = variant === 'http' ? { http: `http://127.0.0.1:${port}/health` } : { tcp: `127.0.0.1:${port}` };
    const probes = variant === 'none' ? {} : { liveness: { ...check, period_ms: 1000 } };
    const apps = Array.from({ length: APPS }, (_, k) => ({ name: `p${k}`, script: 'sleep', args: ['100000'], ...probes }));
    const file = join(manager.home, 'probes.config.json');
    writeFileSync(file, JSON.stringify({ apps }));
    await manager.ok(['start', file]);
    await manager.waitOnline(APPS);
    await delay(3000);
    const pid = manager.daemonPid();
    if (pid === null) throw new Error('no daemon pid');
    const before = readCpuMs(pid) ?? 0;
    await delay(WINDOW_MS);
    return (((readCpuMs(pid) ?? 0) - before) / WINDOW_MS) * 100;
  });
}

export const probesScenario: Scenario = {
  name: 'probes',
  summary: `tend only: daemon CPU with ${APPS} apps probed every second (http, then tcp) minus the same apps without probes`,
  async run(log) {
    const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const cost: Record<'http' | 'tcp', number[]> = { http: [], tcp: [] };
    const floor: number[] = [];
    try {
      for (let run = 0; run < RUNS; run++) {
        log(`run ${run + 1}: ${APPS} apps without probes, 20 s`);
        const without = await daemonCpuPercent('none', port);
        floor.push(without);
        for (const variant of ['http', 'tcp'] as const) {
          log(`run ${run + 1}: ${APPS} apps with a ${variant} probe each, 20 s`);
          cost[variant].push((await daemonCpuPercent(variant, port)) - without);
        }
      }
    } finally {
      server.close();
    }
    const note = `daemon CPU without probes: ${floor.map((v) => v.toFixed(2)).join(', ')} % core`;
    return (['http', 'tcp'] as const).map((variant) => ({
      scenario: 'probes',
      name: `probe cost, ${APPS} apps x 1 ${variant} probe every 1 s (issue 18)`,
      unit: '% core',
      tend: cost[variant],
      pm2: [],
      target: { kind: 'absolute', max: 1 },
      note,
    })) satisfies Metric[];
  },
};
