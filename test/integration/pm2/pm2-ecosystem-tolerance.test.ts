import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { TendHarness, until } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP, REPORT_APP, reportOf } from '../ecosystem/support.js';

let tend: TendHarness;
let dir: ConfigDir;
before(() => {
  tend = new TendHarness();
  dir = new ConfigDir();
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

test('ecosystem options PM2 runs are run: watch_options, a shell command with args, 1/3 cron steps, cluster through another interpreter', async () => {
  dir.write('idle.sh', 'while true; do sleep 1; done\n');
  const config = dir.write(
    'ecosystem.config.js',
    `module.exports = { apps: [
      { name: 'watched', script: ${JSON.stringify(IDLE_APP)}, watch: ['.'], watch_options: { usePolling: true, interval: 200 }, min_uptime: 200 },
      { name: 'npm-like', script: 'node ${REPORT_APP}', args: ['--flag', 'two words'], env: { REPORT_DIR: ${JSON.stringify(dir.path)} }, min_uptime: 200 },
      { name: 'cron-steps', script: ${JSON.stringify(IDLE_APP)}, cron_restart: '0 1/3 * * *', min_uptime: 200 },
      { name: 'sh-cluster', script: 'idle.sh', exec_mode: 'cluster', instances: 2, min_uptime: 200 },
    ] };`,
  );
  const started = await tend.run(['start', config]);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stderr, /"sh-cluster": exec_mode "cluster" needs node, .*running it in fork mode/);
  const list = await tend.waitFor((l) => l.length === 5 && l.every((i) => i.status === 'online'), 'five online');
  assert.deepEqual(list.filter((i) => i.name === 'sh-cluster').map((i) => i.mode), ['fork', 'fork']);

  const npmLike = list.find((i) => i.name === 'npm-like');
  assert.ok(npmLike);
  const report = await reportOf(dir.path, npmLike);
  assert.deepEqual(report.argv, ['--flag', 'two words']);

  const described = JSON.parse(await tend.ok(['describe', 'cron-steps', 'watched', '--json'])) as DescribeResult[];
  assert.equal(described.find((d) => d.info.name === 'cron-steps')?.spec.cronRestart, '0 1-23/3 * * *');
  assert.deepEqual(described.find((d) => d.info.name === 'watched')?.spec.watchOptions, { usePolling: true, interval: 200 });
  const text = await tend.ok(['describe', 'cron-steps']);
  assert.match(text, /cron restart\s+0 1-23\/3 \* \* \*/);
  assert.match(text, /memory limit\s+off/);
  assert.match(text, /watch\s+off/);
});

test('force_color gives the app FORCE_COLOR; log_date_zone utc stamps log lines in UTC', async () => {
  const config = dir.write(
    'colour.config.js',
    `module.exports = { apps: [{ name: 'colour', script: ${JSON.stringify(REPORT_APP)}, force_color: true, time: true, log_date_zone: 'utc', env: { REPORT_DIR: ${JSON.stringify(dir.path)} } }] };`,
  );
  await tend.ok(['start', config]);
  const report = await reportOf(dir.path, (await tend.waitForStatus('colour', 'online')).find((i) => i.name === 'colour'));
  assert.equal(report.env.FORCE_COLOR, '1');
  assert.equal(report.env.CLICOLOR_FORCE, '1');
  const [described] = JSON.parse(await tend.ok(['describe', 'colour', '--json'])) as DescribeResult[];
  const outFile = described?.logFiles.out ?? '';
  const line = await until(() => readFileSync(outFile, 'utf8').split('\n').find((l) => l.length > 0), 'a log line');
  assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: /);
});
