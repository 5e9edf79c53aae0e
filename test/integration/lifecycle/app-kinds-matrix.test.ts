import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, isAlive, killQuietly } from '../../helpers/tend-harness.js';
import { findFreePort, instancesOf, useTendWithAppDir, waitServing } from '../cluster-e2e/support.js';

const { tend, dir } = useTendWithAppDir();

interface Kind {
  name: string;
  args: (port: number) => string[];
  instances?: number;
  http?: boolean;
  env?: Record<string, string>;
}

const KINDS: Kind[] = [
  { name: 'node-cjs-http', args: (port) => [join(FIXTURES, 'http-hello.cjs'), '-p', String(port)], http: true },
  { name: 'node-esm-http', args: (port) => [join(FIXTURES, 'http-hello.mjs'), '-p', String(port)], http: true },
  { name: 'node-ts-http', args: (port) => [join(FIXTURES, 'http-hello.ts'), '-p', String(port)], http: true },
  { name: 'cluster-queue-worker', args: () => [join(FIXTURES, 'idle.js'), '-i', '2'], instances: 2 },
  { name: 'python', args: () => [dir.write('tick.py', 'import time\nwhile True:\n    print("tick", flush=True)\n    time.sleep(0.5)\n')] },
  { name: 'shell', args: () => [dir.write('tick.sh', 'while true; do echo tick; sleep 0.5; done\n')] },
  { name: 'binary', args: () => ['/usr/bin/sleep', '--', '100000'] },
  { name: 'slow-ready', args: () => [join(FIXTURES, 'slow-ready.js'), '--wait-ready', '--listen-timeout', '10s'], env: { READY_AFTER_MS: '1500' } },
];

const online = (list: InstanceInfo[], name: string, count: number): InstanceInfo[] | false => {
  const mine = instancesOf(list, name);
  return mine.length === count && mine.every((i) => i.status === 'online' && i.pid !== null) ? mine : false;
};

for (const kind of KINDS) {
  test(`${kind.name}: starts, comes back with a new pid after a SIGKILL, and stops leaving nothing behind`, async () => {
    const port = await findFreePort();
    const count = kind.instances ?? 1;
    await tend.ok(['start', '--name', kind.name, ...kind.args(port)], { env: kind.env ?? {} });
    const first = await tend.waitFor((l) => online(l, kind.name, count) !== false, `${kind.name} online`, 30_000);
    if (kind.http) await waitServing(port);
    const victim = instancesOf(first, kind.name)[0];
    assert.ok(victim?.pid);
    killQuietly(victim.pid);
    const again = await tend.waitFor(
      (l) => {
        const mine = online(l, kind.name, count);
        return mine !== false && mine.some((i) => i.id === victim.id && i.pid !== victim.pid && i.restarts === 1);
      },
      `${kind.name} back with a new pid`,
      30_000,
    );
    if (kind.http) await waitServing(port);
    const pids = instancesOf(again, kind.name).map((i) => i.pid as number);
    await tend.ok(['stop', kind.name]);
    const stopped = instancesOf(await tend.jlist(), kind.name);
    assert.ok(stopped.every((i) => i.status === 'stopped' && i.pid === null));
    assert.deepEqual(pids.filter(isAlive), [], 'no process of it is left');
    await tend.ok(['delete', kind.name]);
  });
}
