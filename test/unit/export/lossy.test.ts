import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { EXPORT_TARGETS, MAPPING_TABLE, exportApps, isSecretName } from '../../../src/export/index.js';
import { imageCommand } from '../../../src/export/command.js';
import { cronToOnCalendar } from '../../../src/export/cron-calendar.js';
import { exportOptions, shopApps } from './export-fixture.js';

test('a dropped option fails the export without --allow-lossy, naming the app, the option and why', () => {
  assert.throws(
    () => exportApps('kubernetes', shopApps(), exportOptions({ allowLossy: false })),
    (error: unknown) => {
      assert.ok(error instanceof TendError);
      assert.equal(error.code, 'EXPORT_LOSSY');
      assert.match(error.message, /mailer: stop_exit_codes: pods restart on every exit/);
      assert.match(error.message, /migrate: autorestart: false: a Deployment always restarts its pods/);
      assert.match(error.message, /--allow-lossy/);
      return true;
    },
  );
});

test('with --allow-lossy the dropped options are listed at the top of the output', () => {
  const [file] = exportApps('compose', shopApps(), exportOptions({ allowLossy: true }));
  assert.match(file!.content, /^# Dropped \(--allow-lossy\):\n#\s+mailer: stop_exit_codes: .*\n#\s+mailer: cron_restart: /m);
});

test('an app with nothing dropped exports without --allow-lossy', () => {
  const [web] = shopApps();
  const single = { ...web!, execMode: 'fork' as const, instances: 1 };
  for (const target of EXPORT_TARGETS) assert.ok(exportApps(target, [single], exportOptions({ allowLossy: false })).length > 0, target);
  assert.throws(() => exportApps('systemd', [web!], exportOptions({ allowLossy: false })), /web: one port shared by cluster instances/);
});

test('kubernetes and compose need --image, and it is never guessed', () => {
  for (const target of ['kubernetes', 'compose'] as const) {
    assert.throws(() => exportApps(target, shopApps(), exportOptions({ image: null })), /pass --image REF/);
  }
  assert.doesNotThrow(() => exportApps('nomad', shopApps(), exportOptions({ image: null })));
});

test('flags a target has no use for are refused, not ignored', () => {
  assert.throws(() => exportApps('systemd', shopApps(), exportOptions({ namespace: 'shop' })), /--namespace is for kubernetes and nomad, not systemd/);
  assert.throws(() => exportApps('nomad', shopApps(), exportOptions({ runtime: true })), /--runtime is for kubernetes and compose, not nomad/);
});

test('every row maps every target, and a dropped mapping says why', () => {
  for (const row of MAPPING_TABLE) {
    for (const target of EXPORT_TARGETS) assert.ok(row.targets[target].note.length > 2, `${row.option} / ${target}`);
  }
});

test('secret-looking names', () => {
  for (const name of ['API_KEY', 'STRIPE_SECRET', 'GITHUB_TOKEN', 'DB_PASSWORD', 'PASSWORD', 'MYSQL_ROOT_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'KEY']) assert.ok(isSecretName(name), name);
  for (const name of ['NODE_ENV', 'PORT', 'MONKEY_COUNT', 'KEYBOARD_LAYOUT', 'HOST']) assert.ok(!isSecretName(name), name);
});

test('cron patterns as OnCalendar= expressions', () => {
  const cases: Array<[string, string]> = [
    ['0 3 * * *', '*-*-* 3:0:0'],
    ['*/15 * * * *', '*-*-* *:0/15:0'],
    ['30 4 * * 1-5', 'Mon..Fri *-*-* 4:30:0'],
    ['0 0 1,15 * *', '*-*-1,15 0:0:0'],
    ['10 0 0 * * 0', 'Sun *-*-* 0:0:10'],
  ];
  for (const [cron, calendar] of cases) {
    assert.equal(cronToOnCalendar(cron), calendar, cron);
    const parsed = spawnSync('systemd-analyze', ['calendar', calendar], { encoding: 'utf8' });
    assert.equal(parsed.status, 0, `${calendar}: ${parsed.stderr}`);
  }
  assert.throws(() => cronToOnCalendar('0 0 1 * 1'), /day of month and day of week/);
  assert.throws(() => cronToOnCalendar('@daily'), /5 or 6 fields/);
});

test('inside an image, programs from elsewhere are found on PATH and tsx is the image’s own', () => {
  const [web] = shopApps();
  const ts = { ...web!, script: '/srv/shop/src/main.ts', interpreterArgs: ['--import', 'file:///usr/lib/node_modules/tend/node_modules/tsx/dist/loader.mjs'] };
  assert.deepEqual(imageCommand(ts), ['node', '--import', 'tsx', '/app/src/main.ts']);
  const line = { ...web!, interpreter: null, interpreterArgs: [], script: '/usr/bin/bash', args: ['-c', 'npm run start'] };
  assert.deepEqual(imageCommand(line), ['bash', '-c', 'npm run start']);
  const python = { ...web!, interpreter: '/root/.pyenv/shims/python3', interpreterArgs: [], script: '/srv/shop/jobs/x.py', args: [] };
  assert.deepEqual(imageCommand(python), ['python3', '/app/jobs/x.py']);
  assert.match(exportApps('kubernetes', [ts], exportOptions({ allowLossy: true }))[0]!.content, /TypeScript script \(tend runs it with tsx\): node --import tsx/);
});
