import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppSpec } from '../../../src/core/app-spec.js';
import type { HistoryEntry, InstanceInfo } from '../../../src/core/instance-info.js';
import { countUnstableRestarts, withPm2Fields } from '../../../src/daemon/pm2-shape.js';

const spec = {
  name: 'api', namespace: 'web', script: '/srv/api.js', args: ['--x'], interpreter: 'node', interpreterArgs: ['--max-old-space-size=100'],
  cwd: '/srv', execMode: 'cluster', instances: 2, env: { SECRET: 'hunter2' }, minUptimeMs: 1000, autorestart: true,
  watch: null, maxMemoryRestartBytes: 300 * 1024 * 1024, cronRestart: null,
} as unknown as AppSpec;

const info: InstanceInfo = {
  id: 3, name: 'api', namespace: 'web', pid: 42, status: 'waiting', mode: 'cluster', instance: 1, restarts: 4, uptime_ms: 0,
  cpu: 1.5, memory: 2048, exit_code: 1, exit_signal: null, error: null, started_at: 1_700_000_000_000, adopted_at: null,
};

const entry = (event: HistoryEntry['event'], at: number, cause: HistoryEntry['cause'] = null): HistoryEntry =>
  ({ at, event, pid: null, exitCode: null, signal: null, cause, detail: null });

test('withPm2Fields: adds PM2 names for the same facts and keeps tend fields', () => {
  const row = withPm2Fields({ ...info }, { spec, logFiles: { out: '/l/api-out-3.log', err: '/l/api-error-3.log', combined: null }, history: [entry('started', 5)], version: '1.0.0' });
  assert.equal(row.id, 3);
  assert.equal(row.restarts, 4);
  assert.equal(row.pm_id, 3);
  assert.deepEqual(row.monit, { memory: 2048, cpu: 1.5 });
  const env = row.pm2_env;
  assert.ok(env);
  assert.equal(env.status, 'waiting restart');
  assert.equal(env.exec_mode, 'cluster_mode');
  assert.equal(env.instances, 2);
  assert.equal(env.restart_time, 4);
  assert.equal(env.pm_uptime, 1_700_000_000_000);
  assert.equal(env.created_at, 5);
  assert.equal(env.pm_out_log_path, '/l/api-out-3.log');
  assert.equal(env.pm_err_log_path, '/l/api-error-3.log');
  assert.equal(env.NODE_APP_INSTANCE, 1);
  assert.equal(env.max_memory_restart, 300 * 1024 * 1024);
  assert.ok(!JSON.stringify(row).includes('hunter2'), 'no env value');
});

test('withPm2Fields: discarded logs are /dev/null, fork mode is fork_mode', () => {
  const row = withPm2Fields({ ...info, status: 'online', mode: 'fork' }, { spec: { ...spec, execMode: 'fork' }, logFiles: { out: null, err: null, combined: null }, history: [], version: '1' });
  assert.equal(row.pm2_env?.exec_mode, 'fork_mode');
  assert.equal(row.pm2_env?.status, 'online');
  assert.equal(row.pm2_env?.pm_out_log_path, '/dev/null');
  assert.equal(row.pm2_env?.created_at, 1_700_000_000_000);
});

test('countUnstableRestarts: only crashes after a run shorter than min_uptime', () => {
  const history = [
    entry('started', 0), entry('exited', 100), entry('restart-scheduled', 100, 'crash'), // unstable
    entry('started', 200), entry('exited', 5_000), entry('restart-scheduled', 5_000, 'crash'), // stable run
    entry('started', 5_100), entry('restart-scheduled', 5_200, 'manual'), entry('exited', 5_300), // manual
    entry('started', 5_400), entry('exited', 5_500), entry('restart-scheduled', 5_500, 'ready-timeout'), // unstable
  ];
  assert.equal(countUnstableRestarts(history, 1000), 2);
  assert.equal(countUnstableRestarts([], 1000), 0);
});
