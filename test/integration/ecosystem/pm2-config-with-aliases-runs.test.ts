import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { findFreePort } from '../cluster/support.js';
import { ConfigDir, REPORT_APP, byName, configuredExecArgv, reportOf } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
after(async () => {
  await tend.cleanup();
  dir.remove();
});

function fileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

test('a config written for PM2, with its aliases and a deploy section, loads and runs', async () => {
  const port = await findFreePort();
  const logs = (name: string) => JSON.stringify(join(dir.path, name));
  const config = dir.write(
    'ecosystem.config.js',
    `module.exports = {
  apps: [
    {
      name: 'web',
      exec: ${JSON.stringify(join(FIXTURES, 'http-hello.cjs'))},
      exec_mode: 'cluster_mode',
      instances: 'max',
      exec_interpreter: 'node',
      node_args: '--max-old-space-size=64',
      combine_logs: true,
      out: ${logs('web-out.log')},
      err: ${logs('web-err.log')},
      cron: '0 3 * * *',
      env: { PORT: ${port} },
    },
    {
      name: 'worker',
      cmd: ${JSON.stringify(REPORT_APP)},
      exec_mode: 'fork_mode',
      interpreterArgs: '--no-warnings',
      args: '--queue jobs',
      output: ${logs('worker-out.log')},
      error: ${logs('worker-err.log')},
      log: ${logs('worker.log')},
      min_uptime: '1s',
      max_restarts: 16,
      log_date_format: 'YYYY-MM-DD HH:mm Z',
      env: { REPORT_DIR: ${JSON.stringify(dir.path)} },
    },
  ],
  deploy: {
    production: { user: 'node', host: '203.0.113.1', ref: 'origin/main', repo: 'git@example.com:app.git', path: '/var/www/app' },
  },
};\n`,
  );
  const started = await tend.run(['start', config]);
  assert.equal(started.code, 0, started.stderr);
  const cpus = availableParallelism();
  const list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === cpus + 1, `${cpus} web workers and the worker online`);
  assert.deepEqual(byName(list, 'web').map((i) => i.mode), Array<string>(cpus).fill('cluster'), 'instances "max" in cluster_mode');
  const [worker] = byName(list, 'worker');
  assert.equal(worker?.mode, 'fork');

  const report = await reportOf(dir.path, worker);
  assert.deepEqual(report.argv, ['--queue', 'jobs']);
  assert.deepEqual(configuredExecArgv(report), ['--no-warnings']);
  // The log aliases name the files: stdout, stderr and the combined one.
  await until(() => fileText(join(dir.path, 'worker-out.log')).includes(`reported ${worker?.id}`), 'worker-out.log');
  await until(() => fileText(join(dir.path, 'worker-err.log')).includes(`stderr of ${worker?.id}`), 'worker-err.log');
  await until(() => /reported[\s\S]*stderr of|stderr of[\s\S]*reported/.test(fileText(join(dir.path, 'worker.log'))), 'worker.log has both streams');

  const described = await tend.ok(['describe', 'web', '--json']);
  const [web] = JSON.parse(described) as Array<{ spec: { interpreterArgs: string[] }; logFiles: { out: string | null } }>;
  assert.deepEqual(web?.spec.interpreterArgs, ['--max-old-space-size=64']);
  assert.equal(web?.logFiles.out, join(dir.path, 'web-out.log'), 'combine_logs: one file for all workers');
});
