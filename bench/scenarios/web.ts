import { type Manager, withManager } from '../lib/manager.js';
import { readCpuMs, readRssBytes } from '../lib/proc.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay } from '../lib/time.js';

/** Three 10 s windows per phase, so each figure shows its spread. */
const WINDOWS = 3;
const WINDOW_MS = 10_000;
const SETTLE_MS = 3000;
const APPS = 50;
const MIB = 1024 * 1024;

interface Phase {
  cpuPercent: number[];
  rssMiB: number[];
}

/** Daemon CPU (% of one core) per window and RSS at the end of each window. */
async function measurePhase(pid: number): Promise<Phase> {
  const phase: Phase = { cpuPercent: [], rssMiB: [] };
  let previous = readCpuMs(pid) ?? 0;
  for (let k = 0; k < WINDOWS; k++) {
    await delay(WINDOW_MS);
    const current = readCpuMs(pid);
    if (current === null) throw new Error(`daemon ${pid} died`);
    phase.cpuPercent.push(((current - previous) / WINDOW_MS) * 100);
    phase.rssMiB.push((readRssBytes(pid) ?? 0) / MIB);
    previous = current;
  }
  return phase;
}

/** One dashboard tab: the SSE stream with an app selected, read and discarded like a browser would. */
async function openDashboard(manager: Manager, app: string): Promise<{ bytes: () => number; close: () => void }> {
  const status = JSON.parse((await manager.run(['web', '--port', '0', '--json'])).stdout) as { url: string; tokenUrl: string };
  const token = new URL(status.tokenUrl).searchParams.get('token') ?? '';
  const abort = new AbortController();
  const response = await fetch(`${status.url}api/events?app=${app}`, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`SSE stream answered ${response.status}`);
  let received = 0;
  const reader = response.body.getReader();
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      received += chunk.value?.length ?? 0;
    }
  })();
  return { bytes: () => received, close: () => abort.abort() };
}

export const webScenario: Scenario = {
  name: 'web',
  summary: `tend daemon CPU and RSS with ${APPS} idle apps: without the dashboard, then with one SSE client open`,
  async run(log) {
    return withManager('tend', async (manager) => {
      await manager.ok(['start', manager.writeEcosystem('idle.cjs', 'idle', APPS)]);
      await manager.waitOnline(APPS);
      await delay(SETTLE_MS);
      const pid = manager.daemonPid();
      if (pid === null) throw new Error('tend: no daemon pid');
      log(`without the dashboard, ${(WINDOWS * WINDOW_MS) / 1000} s`);
      const without = await measurePhase(pid);
      const tab = await openDashboard(manager, 'idle0');
      await delay(SETTLE_MS);
      log(`with one SSE client, ${(WINDOWS * WINDOW_MS) / 1000} s`);
      const withDashboard = await measurePhase(pid);
      tab.close();
      const mean = (values: number[]): string => (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2);
      // At well under 1% of a core, one 10 ms clock tick moves a window by 0.1%: read the means too.
      const note = `tend column: dashboard open; floor: same daemon before; 30 s means ${mean(withDashboard.cpuPercent)}% vs ${mean(without.cpuPercent)}%; the stream carried ${(tab.bytes() / 1024).toFixed(0)} KiB`;
      const floor = (values: number[]) => ({ label: 'no dashboard', values });
      return [
        { scenario: 'web', name: `daemon CPU, ${APPS} apps, one SSE client (issue 8)`, unit: '% core', tend: withDashboard.cpuPercent, pm2: [], floor: floor(without.cpuPercent), target: { kind: 'floor', max: 1.1 }, note },
        { scenario: 'web', name: `daemon RSS, ${APPS} apps, one SSE client (issue 8)`, unit: 'MiB', tend: withDashboard.rssMiB, pm2: [], floor: floor(without.rssMiB), target: { kind: 'floor', max: 1.1 } },
      ] satisfies Metric[];
    });
  },
};
