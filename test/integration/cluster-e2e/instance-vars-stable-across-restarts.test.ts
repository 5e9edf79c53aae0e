import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAlive, until } from '../../helpers/tend-harness.js';
import { REPORT_ENV_SOURCE, findFreePortPair, httpGet, instancesOf, useTendWithAppDir } from './support.js';

const { tend, dir } = useTendWithAppDir();

interface Report {
  pid: number;
  instance: string;
  port: string;
}

/** Each worker listens on its own port (increment_var), so a GET reaches one known worker. */
async function reports(base: number): Promise<Report[]> {
  return Promise.all([base, base + 1].map(async (port) => JSON.parse((await httpGet(port)).body) as Report));
}

async function expectStable(base: number, what: string): Promise<void> {
  const list = instancesOf(await tend.waitForStatus('vars', 'online', 2), 'vars');
  const seen = await reports(base);
  assert.deepEqual(seen.map((r) => [r.instance, r.port]), [['0', String(base)], ['1', String(base + 1)]], what);
  // The worker answering on base+n is the instance listed with index n.
  assert.deepEqual(seen.map((r) => r.pid), list.map((i) => i.pid), what);
  assert.deepEqual(list.map((i) => i.instance), [0, 1], what);
}

test('NODE_APP_INSTANCE is 0..N-1 and increment_var PORT counts up, stable across restart, reload and a crash', async () => {
  const base = await findFreePortPair();
  const script = dir.write('report-env.cjs', REPORT_ENV_SOURCE);
  await tend.ok(['start', script, '--name', 'vars', '-i', '2', '-p', String(base), '--increment-var', 'PORT']);
  await expectStable(base, 'after start');

  await tend.ok(['restart', 'vars']);
  await expectStable(base, 'after restart');

  await tend.ok(['reload', 'vars']);
  await expectStable(base, 'after reload');

  const [, second] = instancesOf(await tend.jlist(), 'vars');
  assert.ok(second?.pid);
  process.kill(second.pid, 'SIGKILL');
  await until(() => !isAlive(second.pid as number), 'worker 1 gone');
  await tend.waitFor((l) => instancesOf(l, 'vars').every((i) => i.status === 'online' && i.pid !== second.pid), 'worker 1 replaced');
  await expectStable(base, 'after a crash');
});
