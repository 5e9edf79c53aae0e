import assert from 'node:assert/strict';
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendHarness, until } from '../../helpers/tend-harness.js';
import { ConfigDir, REPORT_APP, byName, configuredExecArgv, reportOf, signalsOf } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
let config: string;

before(() => {
  mkdirSync(join(dir.path, 'work'));
  // Below `env` in precedence: A is overridden by env, C only comes from here.
  dir.write('work/app.env', 'A=from-file\nC=from-file\n');
  config = dir.write(
    'ecosystem.config.js',
    `module.exports = { apps: [
      {
        name: 'opts',
        script: ${JSON.stringify(REPORT_APP)},
        args: ['--alpha', 'two words'],
        cwd: './work',
        interpreter: 'node',
        node_args: '--max-old-space-size=64 --no-warnings',
        namespace: 'ns1',
        env_file: 'app.env',
        env: { REPORT_DIR: ${JSON.stringify(dir.path)}, A: 'env', B: 'env' },
        env_production: { B: 'production' },
        append_env_to_name: true,
        filter_env: ['SECRET_'],
        kill_signal: 'SIGUSR2',
      },
      {
        name: 'many',
        script: ${JSON.stringify(REPORT_APP)},
        args: "--x 1 'y z'",
        instances: 2,
        exec_mode: 'fork',
        instance_var: 'INSTANCE_ID',
        increment_var: 'PORT',
        port: 4100,
        env: { REPORT_DIR: ${JSON.stringify(dir.path)} },
      },
      { name: 'later', script: ${JSON.stringify(REPORT_APP)}, autostart: false },
    ] };\n`,
  );
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

test('options of the file reach the processes (--env production)', async () => {
  await tend.ok(['start', config, '--env', 'production'], { env: { SECRET_TOKEN: 'hidden', KEEP_ME: 'kept' } });
  const list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === 3, 'opts + 2 x many online');

  const [opts] = byName(list, 'opts-production');
  assert.equal(opts?.namespace, 'ns1', 'append_env_to_name renames; namespace is kept');
  const report = await reportOf(dir.path, opts);
  assert.deepEqual(report.argv, ['--alpha', 'two words']);
  assert.equal(report.cwd, realpathSync(join(dir.path, 'work')));
  assert.deepEqual(configuredExecArgv(report), ['--max-old-space-size=64', '--no-warnings']);
  assert.equal(report.env.A, 'env', 'env wins over env_file');
  assert.equal(report.env.B, 'production', 'env_production wins over env');
  assert.equal(report.env.C, 'from-file');
  assert.equal(report.env.KEEP_ME, 'kept');
  assert.equal(report.env.SECRET_TOKEN, undefined, 'filter_env drops matching variables');
  assert.equal(report.env.NODE_APP_INSTANCE, '0');

  const many = byName(list, 'many');
  assert.deepEqual(many.map((i) => i.mode), ['fork', 'fork']);
  const reports = await Promise.all(many.map((i) => reportOf(dir.path, i)));
  assert.deepEqual(reports.map((r) => r.argv), [['--x', '1', 'y z'], ['--x', '1', 'y z']]);
  assert.deepEqual(reports.map((r) => r.env.INSTANCE_ID), ['0', '1']);
  assert.deepEqual(reports.map((r) => r.env.NODE_APP_INSTANCE), [undefined, undefined], 'instance_var replaces NODE_APP_INSTANCE');
  assert.deepEqual(reports.map((r) => r.env.PORT), ['4100', '4101']);

  const [later] = byName(list, 'later');
  assert.equal(later?.status, 'stopped', 'autostart: false registers the app stopped');
  assert.equal(later?.pid, null);

  // tend env shows the values the instance received; describe hides them unless --env.
  const envLines = (await tend.ok(['env', String(opts?.id)])).split('\n');
  assert.ok(envLines.includes('B=production'), envLines.join('\n'));
  assert.ok(envLines.includes('C=from-file'));
  const hidden = await tend.ok(['describe', 'opts-production']);
  assert.match(hidden, /^ {2}B$/m);
  assert.doesNotMatch(hidden, /B=production/);
  assert.match(await tend.ok(['describe', 'opts-production', '--env']), /^ {2}B=production$/m);

  await tend.ok(['stop', 'opts-production']);
  await tend.waitForStatus('opts-production', 'stopped');
  assert.deepEqual(await until(() => signalsOf(dir.path, opts?.id ?? -1).length > 0 && signalsOf(dir.path, opts?.id ?? -1), 'signal log'), ['SIGUSR2']);
});
