import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, killQuietly } from '../../helpers/tend-harness.js';
import { useTendWithAppDir } from '../cluster-e2e/support.js';

const { tend } = useTendWithAppDir();

test('deleting a stopped app and starting one with autorestart off survive a daemon SIGKILL right after the reply', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'kept']);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'gone']);
  await tend.ok(['stop', 'gone']);
  await tend.ok(['delete', 'gone']);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'once', '--no-autorestart']);
  const pid = tend.daemonPid();
  assert.ok(pid);
  killQuietly(pid);

  const list = await tend.waitFor((l) => l.length === 2 && l.every((i) => i.status === 'online'), 'the two apps back online', 30_000);
  assert.deepEqual(list.map((i) => i.name).sort(), ['kept', 'once']);
});
