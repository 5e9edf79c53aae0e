import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapPm2Dump } from '../../../src/config/pm2-dump.js';

/** One dumped process as PM2 7 writes it: options, bookkeeping, env, and env flattened on top. */
function entry(name: string, overrides: Record<string, unknown> = {}, env: Record<string, unknown> = {}): Record<string, unknown> {
  const fullEnv = { PATH: '/usr/bin', HOME: '/home/u', SHELL_ONLY: 'same', PM2_HOME: '/home/u/.pm2', PM2_USAGE: 'CLI', unique_id: 'abc', [name]: {}, ...env };
  return {
    name, namespace: 'default', filter_env: [], args: [], env: fullEnv, ...fullEnv,
    vizion: true, pmx: true, automation: true, windowsHide: true, kill_retry_time: 100, username: 'u', treekill: true, autorestart: true, autostart: true,
    instance_var: 'NODE_APP_INSTANCE', NODE_APP_INSTANCE: 0, node_args: [], pm_exec_path: `/srv/${name}.js`, pm_cwd: '/srv', exec_interpreter: 'node', exec_mode: 'fork_mode',
    pm_out_log_path: `/home/u/.pm2/logs/${name}-out.log`, pm_err_log_path: `/home/u/.pm2/logs/${name}-error.log`, pm_pid_path: `/home/u/.pm2/pids/${name}-0.pid`,
    km_link: false, vizion_running: false, status: 'online', pm_uptime: 1, created_at: 1, restart_time: 3, unstable_restarts: 0, _pm2_version: '7.0.4', version: '1.0.0', node_version: '20.0.0',
    axm_actions: [], axm_monitor: {}, axm_options: {}, axm_dynamic: {},
    ...overrides,
  };
}

const shell = { PATH: '/other/bin', HOME: '/home/u', SHELL_ONLY: 'same' };

describe('mapPm2Dump', () => {
  it('keeps the options, drops bookkeeping, PM2 defaults and the flattened env', () => {
    const { apps, skipped } = mapPm2Dump([entry('api', { kill_timeout: 3000, max_memory_restart: 209715200, args: ['--port', '1'] })], shell);
    assert.deepEqual(skipped, []);
    assert.deepEqual(apps[0]?.raw, {
      name: 'api', script: '/srv/api.js', cwd: '/srv', interpreter: 'node', instances: 1, namespace: 'default', args: ['--port', '1'],
      treekill: true, autorestart: true, autostart: true, instance_var: 'NODE_APP_INSTANCE', exec_mode: 'fork_mode', kill_timeout: 3000, max_memory_restart: 209715200,
    });
  });

  it('counts a cluster app of several entries as one app with that many instances', () => {
    const web = (i: number) => entry('web', { exec_mode: 'cluster_mode', NODE_APP_INSTANCE: i, pm_pid_path: `/home/u/.pm2/pids/web-${i}.pid` });
    const { apps } = mapPm2Dump([web(0), web(1), web(2), entry('jobs')], shell);
    assert.deepEqual(apps.map((a) => [a.name, a.raw.instances, a.raw.exec_mode]), [['web', 3, 'cluster_mode'], ['jobs', 1, 'fork_mode']]);
  });

  it("splits the env: what differs from the importing shell is the app's own, PM2's variables go", () => {
    const { apps } = mapPm2Dump([entry('api', {}, { API_TOKEN: 'secret', PORT: 3000 })], shell);
    assert.deepEqual(apps[0]?.raw.env, { API_TOKEN: 'secret', PORT: '3000' });
    assert.deepEqual(apps[0]?.baseEnv, { PATH: '/usr/bin', HOME: '/home/u', SHELL_ONLY: 'same', API_TOKEN: 'secret', PORT: '3000' });
  });

  it('reports options the user set to something PM2 does not default to, keeps custom log paths', () => {
    const { apps } = mapPm2Dump([entry('api', { vizion: false, pm_out_log_path: '/var/log/api.log', pm_err_log_path: '/home/u/.pm2/logs/api-error.log' })], shell);
    assert.equal(apps[0]?.raw.vizion, false);
    assert.equal(apps[0]?.raw.out_file, '/var/log/api.log');
    assert.equal(apps[0]?.raw.error_file, undefined);
  });

  it('treats logs under a PM2_HOME elsewhere (found through the pid file) as defaults', () => {
    const { apps } = mapPm2Dump([entry('api', { pm_out_log_path: '/tmp/p/logs/api-out.log', pm_pid_path: '/tmp/p/pids/api-0.pid' })], shell);
    assert.equal(apps[0]?.raw.out_file, undefined);
  });

  it('skips PM2 modules and malformed entries, saying why', () => {
    const { apps, skipped } = mapPm2Dump([entry('pm2-logrotate', { pmx_module: true }), { name: 'x' }, 'junk', entry('ok')], shell);
    assert.deepEqual(apps.map((a) => a.name), ['ok']);
    assert.deepEqual(skipped, ['pm2-logrotate: a PM2 module (tend has no modules)', 'entry #1: no name or script', 'entry #2: no name or script']);
  });
});
