import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSpecs, planApply, renderPlan, type ApplyStep } from '../../../src/config/apply-plan.js';
import type { AppSpec } from '../../../src/core/app-spec.js';

const FILE = '/srv/eco.config.js';

function spec(name: string, overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name, namespace: 'default', script: `/srv/${name}.js`, args: [], interpreter: '/usr/bin/node', interpreterArgs: [], cwd: '/srv',
    execMode: 'fork', instances: 1, env: {}, instanceVar: 'NODE_APP_INSTANCE', incrementVar: null, autorestart: true, autostart: true,
    stopExitCodes: [], minUptimeMs: 1000, maxRestarts: 16, restartDelayMs: 0, expBackoffRestartDelayMs: 0, killSignal: 'SIGINT',
    killTimeoutMs: 1600, shutdownWithMessage: false, waitReady: false, listenTimeoutMs: 3000, treekill: true,
    logs: { outFile: `/h/logs/${name}-out.log`, errorFile: `/h/logs/${name}-error.log`, combinedFile: null, mergeLogs: false, time: false, dateFormat: null, logType: 'raw', maxSizeBytes: 0, retain: 30, compress: false, rotateIntervalMs: 0 },
    maxMemoryRestartBytes: null, watch: null, ignoreWatch: ['node_modules'], watchDelayMs: 0, cronRestart: null, uid: null, gid: null, force: false,
    configFile: FILE, filterEnv: false, ...overrides,
  };
}

interface Row {
  what: string;
  desired: AppSpec[];
  running: AppSpec[];
  prune?: boolean;
  steps: ApplyStep[];
  lines: string[];
}

const rows: Row[] = [
  { what: 'nothing running: every app starts', desired: [spec('api'), spec('web')], running: [], steps: [{ kind: 'start', name: 'api' }, { kind: 'start', name: 'web' }], lines: ['+ api', '+ web'] },
  { what: 'same specs: nothing to do', desired: [spec('api')], running: [spec('api')], steps: [], lines: [] },
  {
    what: 'same specs with keys in another order and an older spec without filterEnv',
    desired: [spec('api', { env: { A: '1', B: '2' } })],
    running: [{ ...spec('api', { env: { B: '2', A: '1' } }), filterEnv: undefined }],
    steps: [],
    lines: [],
  },
  {
    what: 'env changed on a single fork instance: restart, variables by name only',
    desired: [spec('api', { env: { API_URL: 'https://new', TOKEN: 's3cret' } })],
    running: [spec('api', { env: { API_URL: 'https://old', OLD: 'x' } })],
    steps: [{ kind: 'update', name: 'api', changes: [{ option: 'env.API_URL' }, { option: 'env.OLD' }, { option: 'env.TOKEN' }], how: 'restart', scale: null }],
    lines: ['~ api: env.API_URL, env.OLD, env.TOKEN'],
  },
  {
    what: 'env and instance count of a cluster app: rolling reload and scale',
    desired: [spec('web', { execMode: 'cluster', instances: 4, env: { API_URL: 'b' } })],
    running: [spec('web', { execMode: 'cluster', instances: 2, env: { API_URL: 'a' } })],
    steps: [{ kind: 'update', name: 'web', changes: [{ option: 'env.API_URL' }], how: 'reload', scale: { from: 2, to: 4 } }],
    lines: ['~ web: env.API_URL, instances 2 -> 4'],
  },
  {
    what: 'instance count alone: scale, no restart',
    desired: [spec('web', { execMode: 'cluster', instances: 1 })],
    running: [spec('web', { execMode: 'cluster', instances: 3 })],
    steps: [{ kind: 'update', name: 'web', changes: [], how: null, scale: { from: 3, to: 1 } }],
    lines: ['~ web: instances 3 -> 1'],
  },
  {
    what: 'script and args of a fork app with several instances: rolling reload, paths not shown',
    desired: [spec('q', { instances: 2, script: '/srv/q2.js', args: ['--token', 'x'] })],
    running: [spec('q', { instances: 2 })],
    steps: [{ kind: 'update', name: 'q', changes: [{ option: 'script' }, { option: 'args' }], how: 'reload', scale: null }],
    lines: ['~ q: script, args'],
  },
  {
    what: 'options show old and new values; log options by their file names',
    desired: [spec('api', { killTimeoutMs: 5000, autorestart: false, killSignal: 'SIGTERM', logs: { ...spec('api').logs, maxSizeBytes: 1024 } })],
    running: [spec('api')],
    steps: [{ kind: 'update', name: 'api', how: 'restart', scale: null, changes: [{ option: 'autorestart', from: 'true', to: 'false' }, { option: 'kill_signal', from: 'SIGINT', to: 'SIGTERM' }, { option: 'kill_timeout', from: '1600', to: '5000' }, { option: 'max_size', from: '0', to: '1024' }] }],
    lines: ['~ api: autorestart true -> false, kill_signal SIGINT -> SIGTERM, kill_timeout 1600 -> 5000, max_size 0 -> 1024'],
  },
  {
    what: 'exec mode changed: deleted and started again',
    desired: [spec('web', { execMode: 'cluster', instances: 2 })],
    running: [spec('web')],
    steps: [{ kind: 'replace', name: 'web', changes: [{ option: 'exec_mode', from: 'fork', to: 'cluster' }] }],
    lines: ['~ web: exec_mode fork -> cluster (deleted and started again: exec_mode cannot change in place)'],
  },
  {
    what: 'an app of this file gone from it: left running without --prune',
    desired: [spec('api')],
    running: [spec('api'), spec('old')],
    steps: [],
    lines: ['  old: no longer in the file, left running (--prune deletes it)'],
  },
  {
    what: '--prune deletes only the apps of this file; apps of other files and of the command line stay',
    desired: [spec('api')],
    running: [spec('api'), spec('old'), spec('other', { configFile: '/srv/other.config.js' }), spec('cli', { configFile: null })],
    prune: true,
    steps: [{ kind: 'delete', name: 'old' }],
    lines: ['- old'],
  },
  {
    what: 'new apps start after the apps they depend on; a changed depends_on is an option change',
    desired: [spec('api', { dependsOn: ['db'] }), spec('db'), spec('web', { dependsOn: ['api'] })],
    running: [spec('web')],
    steps: [{ kind: 'start', name: 'db' }, { kind: 'start', name: 'api' }, { kind: 'update', name: 'web', changes: [{ option: 'depends_on' }], how: 'restart', scale: null }],
    lines: ['+ db', '+ api', '~ web: depends_on'],
  },
  {
    what: 'a spec saved without dependsOn equals one with none',
    desired: [spec('api', { dependsOn: [] })],
    running: [spec('api')],
    steps: [],
    lines: [],
  },
  {
    what: 'an app registered from the command line is taken over by the file',
    desired: [spec('api')],
    running: [spec('api', { configFile: null })],
    steps: [{ kind: 'update', name: 'api', changes: [{ option: 'config file' }], how: 'restart', scale: null }],
    lines: ['~ api: config file'],
  },
];

describe('planApply', () => {
  for (const row of rows) {
    it(row.what, () => {
      const plan = planApply({ desired: row.desired, running: row.running, file: FILE, prune: row.prune ?? false });
      assert.deepEqual(plan.steps, row.steps);
      assert.deepEqual(renderPlan(plan), row.lines);
    });
  }

  it('never puts an env value in a change', () => {
    const changes = diffSpecs(spec('a', { env: { SECRET: 'hunter2' } }), spec('a', { env: { SECRET: 'swordfish' } }));
    assert.deepEqual(changes, [{ option: 'env.SECRET' }]);
    assert.ok(!JSON.stringify(changes).includes('hunter2'));
  });
});
