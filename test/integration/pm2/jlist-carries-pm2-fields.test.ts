import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort } from '../cluster/support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('jlist and prettylist carry the PM2 fields its consumers read, with no env value', async () => {
  const port = String(await findFreePort());
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'svc', '--namespace', 'jobs', '-i', '2', '-p', port, '--max-memory-restart', '200M'], {
    env: { SECRET_TOKEN: 'hunter2-secret' },
  });
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'one', '--min-uptime', '200ms']);
  const list = await tend.waitFor((l) => l.length === 3 && l.every((i) => i.status === 'online'), 'three online');
  const raw = await tend.ok(['jlist']);
  assert.ok(!raw.includes('hunter2-secret'), 'jlist carries no env value');

  const svc = list.filter((i) => i.name === 'svc');
  for (const row of svc) {
    assert.equal(row.pm_id, row.id);
    const env = row.pm2_env;
    assert.ok(env, 'pm2_env present');
    assert.equal(env.status, 'online');
    assert.equal(env.name, 'svc');
    assert.equal(env.namespace, 'jobs');
    assert.equal(env.exec_mode, 'cluster_mode');
    assert.equal(env.instances, 2);
    assert.equal(env.restart_time, 0);
    assert.equal(env.unstable_restarts, 0);
    assert.equal(env.pm_uptime, row.started_at);
    assert.ok(env.created_at > 0 && env.created_at <= env.pm_uptime, `created_at ${env.created_at}, pm_uptime ${env.pm_uptime}`);
    assert.equal(env.max_memory_restart, 200 * 1024 * 1024);
    assert.equal(env.pm_out_log_path, join(tend.home, 'logs', `svc-out-${row.id}.log`));
    assert.equal(env.pm_err_log_path, join(tend.home, 'logs', `svc-error-${row.id}.log`));
    assert.deepEqual(row.monit, { memory: row.memory, cpu: row.cpu });
  }
  const one = list.find((i) => i.name === 'one') as InstanceInfo;
  assert.equal(one.pm2_env?.exec_mode, 'fork_mode');
  assert.equal(one.pm2_env?.pm_exec_path, join(FIXTURES, 'idle.js'));

  await tend.ok(['restart', 'one']);
  const restarted = await tend.waitFor((l) => l.some((i) => i.name === 'one' && i.status === 'online' && i.pm2_env?.restart_time === 1), 'one restarted');
  assert.equal(restarted.find((i) => i.name === 'one')?.restarts, 1);

  const pretty = await tend.ok(['prettylist']);
  assert.ok(pretty.includes('\n  '), 'indented');
  const parsed = JSON.parse(pretty) as InstanceInfo[];
  assert.deepEqual(parsed.map((i) => [i.pm_id, i.pm2_env?.exec_mode]), list.map((i) => [i.pm_id, i.pm2_env?.exec_mode]));
});
