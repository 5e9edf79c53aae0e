import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Manager, type ManagerKind, REPO_ROOT, withManager } from '../lib/manager.js';
import { readRssBytes } from '../lib/proc.js';
import { fastPathEnv, timeCopying, timePrinting, timeReading } from '../lib/floor.js';
import { pingOverOneSocket } from '../lib/socket-ping.js';
import type { Metric } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';
import { delay, nowMs } from '../lib/time.js';

const APPS = 1000;
const MIB = 1024 * 1024;

interface ScaleRun {
  startToOnlineMs: number;
  /** CLI `ping` round trips taken every 100 ms while the 1,000 apps start. */
  cliPingMaxMs: number;
  /** tend only: `ping` requests over one socket connection, every 20 ms, while they start. */
  socketPingMaxMs: number | null;
  /** `jlist` as users run it: through the `tend` launcher (its native client where built). */
  jlistMs: number[];
  /** tend only: `jlist` through the Node fast path, as where no C compiler built the native client. */
  nodeJlistMs: number[];
  /** A Node process printing as many bytes as `jlist` did, timed alternately with it. */
  printFloorMs: number[];
  /** `head -c` copying as many bytes: the physical floor. */
  copyFloorMs: number[];
  rssMiB: number;
  killMs: number;
}

/** 1,000 tiny apps: the `sleep` binary, which both managers run directly. */
function writeTinyApps(manager: Manager): string {
  const apps = Array.from({ length: APPS }, (_, k) => ({ name: `tiny${k}`, script: '/usr/bin/sleep', args: ['1000000'], interpreter: 'none' }));
  const file = join(manager.home, 'tiny.config.cjs');
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
  return file;
}

async function measure(kind: ManagerKind): Promise<ScaleRun> {
  return withManager(kind, async (manager) => {
    const file = writeTinyApps(manager);
    await manager.ok(['ping']);
    const socket = kind === 'tend' ? await pingOverOneSocket(manager.home, 'bench-scale') : null;
    let cliPingMaxMs = 0;
    let starting = true;
    const cliProbe = (async () => {
      while (starting) {
        cliPingMaxMs = Math.max(cliPingMaxMs, (await manager.ok(['ping'])).ms);
        await delay(100);
      }
    })();
    const startedAt = nowMs();
    await manager.ok(['start', file], { timeoutMs: 600_000 });
    await manager.waitOnline(APPS, 600_000);
    const startToOnlineMs = nowMs() - startedAt;
    starting = false;
    await cliProbe;
    const socketPingMaxMs = socket ? await socket.stop() : null;
    await delay(3000);
    const jlistMs: number[] = [];
    const nodeJlistMs: number[] = [];
    const printFloorMs: number[] = [];
    const copyFloorMs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const jlist = await manager.ok(['jlist']);
      jlistMs.push(jlist.ms);
      const bytes = Buffer.byteLength(jlist.stdout);
      printFloorMs.push(await timePrinting(bytes));
      copyFloorMs.push(await timeCopying(bytes));
      if (kind === 'tend') nodeJlistMs.push(await timeNodeFastPath(manager));
    }
    const pid = manager.daemonPid();
    const rssMiB = pid === null ? 0 : (readRssBytes(pid) ?? 0) / MIB;
    const killedAt = nowMs();
    await manager.ok(['kill'], { timeoutMs: 600_000 });
    return { startToOnlineMs, cliPingMaxMs, socketPingMaxMs, jlistMs, nodeJlistMs, printFloorMs, copyFloorMs, rssMiB, killMs: nowMs() - killedAt };
  });
}

/** `jlist` through tend's Node fast path alone (dist/bin/tend-fast.cjs), read as Manager.run reads. */
function timeNodeFastPath(manager: Manager): Promise<number> {
  return timeReading(process.execPath, [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), 'jlist'], null, fastPathEnv(manager.env()));
}

export const scaleScenario: Scenario = {
  name: 'scale',
  summary: `${APPS} tiny apps (the sleep binary) from one file: start until all online, ping while they start, jlist, daemon RSS, kill`,
  async run(log) {
    log(`tend, ${APPS} apps`);
    const tend = await measure('tend');
    log(`PM2, ${APPS} apps`);
    const pm2 = await measure('pm2');
    const base = { scenario: 'scale' };
    return [
      { ...base, name: `start ${APPS} apps until all online`, unit: 'ms', tend: [tend.startToOnlineMs], pm2: [pm2.startToOnlineMs] },
      { ...base, name: 'slowest CLI ping while they start', unit: 'ms', tend: [tend.cliPingMaxMs], pm2: [pm2.cliPingMaxMs], note: 'a new CLI process every 100 ms: its own start-up on a machine busy starting 1,000 processes counts too' },
      { ...base, name: 'slowest socket ping while they start (issue 15)', unit: 'ms', tend: tend.socketPingMaxMs === null ? [] : [tend.socketPingMaxMs], pm2: [], target: { kind: 'absolute', max: 100 }, note: 'tend only: `ping` over one socket connection every 20 ms, from the `start` command until all are online' },
      {
        ...base,
        name: `jlist with ${APPS} apps (issue 15)`,
        unit: 'ms',
        tend: tend.jlistMs,
        pm2: pm2.jlistMs,
        floor: { label: 'head -c printing as many bytes', values: tend.copyFloorMs },
        target: { kind: 'absolute', max: 100 },
        note: `through the \`tend\` launcher, as users run it: ${existsSync(join(REPO_ROOT, 'dist/bin/tend-fast')) ? 'its native client (built)' : 'through Node (no native client was built)'}; floor: \`head -c\` copying as many bytes into the same kind of pipe, timed alternately`,
      },
      {
        ...base,
        name: `jlist with ${APPS} apps through Node (no C compiler)`,
        unit: 'ms',
        tend: tend.nodeJlistMs,
        pm2: pm2.jlistMs,
        floor: { label: 'node printing as many bytes', values: tend.printFloorMs },
        note: `tend's Node fast path alone (dist/bin/tend-fast.cjs), what runs where the build had no C compiler; floor: \`node -e\` writing ${APPS} apps' worth of jlist output into the same kind of pipe`,
      },
      { ...base, name: `daemon RSS with ${APPS} apps (issue 15)`, unit: 'MiB', tend: [tend.rssMiB], pm2: [pm2.rssMiB], target: { kind: 'absolute', max: 100 } },
      { ...base, name: `kill with ${APPS} apps`, unit: 'ms', tend: [tend.killMs], pm2: [pm2.killMs] },
    ] satisfies Metric[];
  },
};
