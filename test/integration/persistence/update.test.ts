import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { findFreePort } from '../../helpers/ports.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-up-');
});
after(() => tend.cleanup());

test('update replaces the daemon and keeps the same apps, ids, env and instance counts', async () => {
  const envFile = join(tend.home, 'env.json');
  const port = String(await findFreePort());
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'spacer']);
  await tend.ok(['start', join(FIXTURES, 'print-env.js'), '--name', 'a'], { env: { MARKER: 'kept', ENV_OUT_FILE: envFile } });
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'web', '-i', '2', '-p', port]);
  // A gap in the ids (0 deleted) must survive the update too.
  await tend.ok(['delete', 'spacer']);
  await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 3, '3 instances online');
  const shape = (list: Awaited<ReturnType<TendHarness['jlist']>>) => list.map((i) => [i.id, i.name, i.mode, i.instance]);
  const before = shape(await tend.jlist());
  const oldDaemon = tend.daemonPid();
  // Online comes at min_uptime; the app may write its file a moment later on a loaded machine.
  const firstPid = (JSON.parse(await until(() => (existsSync(envFile) ? readFileSync(envFile, 'utf8') : undefined), 'the app writing its environment')) as { pid: number }).pid;

  const out = await tend.ok(['update'], { env: { MARKER: 'not-this' } });
  assert.match(out, /daemon updated: .* \(pid \d+\) -> .* \(pid \d+\)/);
  assert.notEqual(tend.daemonPid(), oldDaemon);
  await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 3, '3 instances online after update');
  assert.deepEqual(shape(await tend.jlist()), before);
  // The fork-mode app was handed over, not restarted: same process, same environment.
  const a = (await tend.jlist()).find((i) => i.name === 'a');
  assert.equal(a?.pid, firstPid);
  assert.equal(a?.restarts, 0);
  const seen = JSON.parse(readFileSync(envFile, 'utf8')) as { pid: number; env: Record<string, string> };
  assert.deepEqual([seen.pid, seen.env.MARKER], [firstPid, 'kept']);
});
