import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { IpcClient } from '../../../src/ipc/client.js';
import { after } from 'node:test';
import { TendHarness, delay, isAlive } from '../../helpers/tend-harness.js';

import { findFreePortRun } from '../../helpers/ports.js';

export { findFreePort, httpGet, waitServing } from '../cluster/support.js';

/** Two free consecutive ports (increment_var gives instance 1 the next one). */
export const findFreePortPair = (): Promise<number> => findFreePortRun(2);
export { startLoad } from '../cluster/load-loop.js';

/** A temp folder for the app files a test writes; they are .cjs, since a package.json with "type": "module" may sit above it. */
export class AppDir {
  readonly path = mkdtempSync(join(tmpdir(), 'tend-e2e-app-'));

  write(name: string, source: string): string {
    const file = join(this.path, name);
    writeFileSync(file, source);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A CommonJS HTTP server on PORT that handles no signals; answers "<tag> <pid>". */
export function helloSource(tag: string): string {
  return [
    "const http = require('node:http');",
    `http.createServer((req, res) => res.end(${JSON.stringify(tag)} + ' ' + process.pid))`,
    "  .listen(Number(process.env.PORT), '127.0.0.1');",
    '',
  ].join('\n');
}

export function instancesOf(list: InstanceInfo[], name: string): InstanceInfo[] {
  return list.filter((i) => i.name === name).sort((a, b) => a.id - b.id);
}

export function pidsOf(list: InstanceInfo[], name: string): Array<number | null> {
  return instancesOf(list, name).map((i) => i.pid);
}

/**
 * Polls the daemon's `list` (what jlist prints) over one socket connection while something else runs and checks the reload invariants on every sample:
 * at least `minOnline` instances online, and no pid that was already seen dead before the
 * sample was asked for is listed online (a pid dying after the reply is not a lie).
 */
export async function watchStatuses(tend: TendHarness, name: string, minOnline: number) {
  // One connection instead of a CLI per sample: a node start per sample would eat the CPU the
  // reload and the load share on a 2-core machine.
  const client = await IpcClient.connect(join(tend.home, 'tend.sock'), { clientName: 'cluster-e2e-watch' });
  const seenPids = new Set<number>();
  const violations: string[] = [];
  let samples = 0;
  let minSeen = Number.POSITIVE_INFINITY;
  let isStopped = false;
  const loop = (async () => {
    while (!isStopped) {
      const deadBefore = new Set([...seenPids].filter((pid) => !isAlive(pid)));
      const list = instancesOf(await client.request('list'), name);
      samples += 1;
      const online = list.filter((i) => i.status === 'online');
      minSeen = Math.min(minSeen, online.length);
      if (online.length < minOnline) violations.push(`only ${online.length} online: ${JSON.stringify(list)}`);
      for (const instance of online) {
        if (instance.pid === null) violations.push(`online without a pid: ${JSON.stringify(instance)}`);
        else if (deadBefore.has(instance.pid)) violations.push(`dead pid ${instance.pid} listed online`);
      }
      for (const instance of list) if (instance.pid !== null) seenPids.add(instance.pid);
      await delay(20);
    }
  })();
  return {
    async stop(): Promise<{ samples: number; minOnline: number; violations: string[] }> {
      isStopped = true;
      await loop.finally(() => client.close());
      return { samples, minOnline: minSeen, violations };
    },
  };
}

/** A CommonJS app that answers its instance variables and pid as JSON on PORT. */
export const REPORT_ENV_SOURCE = [
  "const http = require('node:http');",
  'http.createServer((req, res) => res.end(JSON.stringify({',
  '  pid: process.pid, instance: process.env.NODE_APP_INSTANCE, port: process.env.PORT, execArgv: process.execArgv,',
  "}))).listen(Number(process.env.PORT), '127.0.0.1');",
  '',
].join('\n');

/** A tend world and an app folder for one test file, both removed after its tests. */
export function useTendWithAppDir(): { tend: TendHarness; dir: AppDir } {
  const world = { tend: new TendHarness(), dir: new AppDir() };
  after(async () => {
    await world.tend.cleanup();
    world.dir.remove();
  });
  return world;
}
