import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
after(async () => {
  await tend.cleanup();
  dir.remove();
});

const idle = JSON.stringify(IDLE_APP);

test('validate prints every problem of a broken file, one line each, exits 1 and starts no daemon', async () => {
  const file = dir.write(
    'broken.config.js',
    `module.exports = { apps: [
  { name: 'api', script: 'gone.js', instances: 'lots', wacth: true },
  { name: 'web', script: ${idle}, cwd: 'nowhere', kill_timeout: 'soon' },
  { name: 'ok', script: ${idle} },
  { name: 'ok', script: ${idle}, env_production: { A: 1 }, wait_ip: true },
] };\n`,
  );
  const result = await tend.run(['validate', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const expected = [
    /apps\[0\] "api": instances must be a number, "max" or a negative number, got "lots"$/,
    /apps\[0\] "api": script "gone\.js" not found/,
    /apps\[1\] "web": kill_timeout must be a duration in ms or a string like "10s", "5m", "250ms", got "soon"$/,
    /apps\[1\] "web": cwd .*nowhere does not exist or is not a directory$/,
    /apps\[3\] "ok": wait_ip is not supported: tend does not wait for a network interface$/,
  ];
  assert.equal(lines.length, expected.length, result.stdout);
  expected.forEach((pattern, index) => {
    assert.ok(lines[index]?.startsWith(`${file}: apps[`), lines[index]);
    assert.match(lines[index] ?? '', pattern);
  });
  assert.match(result.stderr, /warning: .*apps\[0\] "api": unknown option 'wacth' is ignored; did you mean 'watch'\?/);
  assert.match(result.stderr, /tend: .*broken\.config\.js: 5 problems\n$/);
  assert.equal(existsSync(join(tend.home, 'daemon.pid')), false, 'no daemon was started');
  assert.deepEqual(tend.processesOfThisHome(), []);
});

test('validate of a good file names its apps and exits 0; of a syntax error, one line', async () => {
  const good = dir.write('good.yaml', `apps:\n  - name: one\n    script: ${IDLE_APP}\n    env_production: { MODE: prod }\n  - name: two\n    script: ${IDLE_APP}\n`);
  const ok = await tend.run(['validate', good, '--env', 'production']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /good\.yaml: valid, 2 apps \(one, two\)\n$/);
  assert.equal(ok.stderr, '');

  const syntax = dir.write('syntax.json', '{"apps": [ {"script": "x.js",, } ]}');
  const bad = await tend.run(['validate', syntax]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^.*syntax\.json: syntax error at line 1, column \d+: .*\n$/);
  assert.equal(existsSync(join(tend.home, 'daemon.pid')), false);
});

test('validate names a depends_on cycle, and warns of a dependency outside the file', async () => {
  const file = dir.write(
    'cycle.yaml',
    `apps:\n  - { name: api, script: ${IDLE_APP}, depends_on: [db, redis] }\n  - { name: db, script: ${IDLE_APP}, depends_on: worker }\n  - { name: worker, script: ${IDLE_APP}, depends_on: api }\n`,
  );
  const result = await tend.run(['validate', file]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, `${file}: depends_on has a cycle: api -> db -> worker -> api\n`);
  assert.match(result.stderr, /warning: .*apps\[0\] "api": depends_on "redis" is not an app of this file; it must be running when "api" starts/);
});
