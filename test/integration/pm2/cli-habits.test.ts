import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult, InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TEND_BIN, TendHarness, killQuietly, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

const IDLE = join(FIXTURES, 'idle.js');
const PRINT_ENV = join(FIXTURES, 'print-env.js');
const FAST = ['--min-uptime', '200ms', '--kill-timeout', '500ms'];
const names = (list: InstanceInfo[]) => list.map((i) => i.name).sort();
const pidOf = (list: InstanceInfo[], name: string) => list.find((i) => i.name === name)?.pid;

test('an action that finds no process exits 1', async () => {
  const restart = await tend.run(['restart', 'all']);
  assert.equal(restart.code, 1);
  assert.match(restart.stderr, /^tend: nothing to restart: no app is registered\n$/);
  assert.equal((await tend.run(['stop', 'all'])).code, 1);
});

test('start of a registered name restarts it and says so; a script running under another name is refused unless -f', async () => {
  await tend.ok(['start', IDLE, '--name', 'idle', ...FAST]);
  const first = await tend.waitForStatus('idle', 'online');
  const again = await tend.run(['start', IDLE, '--name', 'idle']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /idle was already registered: restarted it/);
  const second = await tend.waitFor((l) => l.some((i) => i.name === 'idle' && i.status === 'online' && i.pid !== pidOf(first, 'idle')), 'idle restarted');
  assert.equal(second.length, 1);

  await tend.ok(['start', IDLE, '--name', 'idle-app', ...FAST]); // an explicit name: another copy is wanted
  await tend.ok(['delete', 'idle']);
  await tend.waitForStatus('idle-app', 'online');
  const copy = await tend.run(['start', IDLE]);
  assert.equal(copy.code, 1);
  assert.match(copy.stderr, /^tend: .*idle\.js already runs as "idle-app" \(id \d+\); add -f to start another copy/);
  assert.deepEqual(names(await tend.jlist()), ['idle-app'], 'nothing started');
  await tend.ok(['start', IDLE, '-f', ...FAST]);
  await tend.waitForStatus('idle', 'online');
  await tend.ok(['start', IDLE, '--name', 'named-copy', ...FAST]);
  await tend.waitForStatus('named-copy', 'online');
  await tend.ok(['delete', 'idle-app', 'named-copy']);
});

test('several scripts in one start; targets by regular expression and by script path', async () => {
  const out = await tend.ok(['start', PRINT_ENV, join(FIXTURES, 'log-signals.js'), ...FAST]);
  assert.ok(out.includes('print-env') && out.includes('log-signals'));
  await tend.waitFor((l) => l.length === 3 && l.every((i) => i.status === 'online'), 'three online');
  await tend.ok(['stop', '/^(print|log)-/']);
  const list = await tend.jlist();
  assert.deepEqual(list.filter((i) => i.status === 'stopped').map((i) => i.name).sort(), ['log-signals', 'print-env']);
  await tend.ok(['restart', 'test/fixtures/apps/print-env.js']);
  await tend.waitForStatus('print-env', 'online');
  assert.equal((await tend.jlist()).find((i) => i.name === 'log-signals')?.status, 'stopped', 'only the app of that script');
  const none = await tend.run(['stop', '/^nothing-/']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no app or process matches "\/\^nothing-\/"/);
  await tend.ok(['delete', '/^(print|log)-/']);
});

test('start - reads a config on stdin; --cron, --source-map-support and no-op PM2 flags; -s prints no table', async () => {
  const config = JSON.stringify({ apps: [{ name: 'from-stdin', script: 'test/fixtures/apps/idle.js', min_uptime: 200 }] });
  await tend.ok(['start', '-'], { input: config });
  await tend.waitForStatus('from-stdin', 'online');

  const started = await tend.run(['start', IDLE, '--name', 'flags', '--cron', '0 3 * * *', '--source-map-support', '--no-vizion', '--no-pmx', '--no-automation']);
  assert.equal(started.code, 0, started.stderr);
  assert.ok(started.stdout.includes('flags'), 'the table');
  assert.match(started.stderr, /--no-vizion does nothing in tend/);
  assert.match(started.stderr, /--no-automation does nothing in tend/);
  const [described] = JSON.parse(await tend.ok(['describe', 'flags', '--json'])) as DescribeResult[];
  assert.equal(described?.spec.cronRestart, '0 3 * * *');
  assert.ok(described?.spec.interpreterArgs.includes('--enable-source-maps'));
  const silent = await tend.run(['stop', 'flags', '-s']);
  assert.deepEqual([silent.code, silent.stdout, silent.stderr], [0, '', ''], '-s: no table, no note');
  await tend.ok(['delete', 'flags', 'from-stdin']);
});

test('start --update-env restarts a registered app with the new environment', async () => {
  await tend.ok(['start', PRINT_ENV, '--name', 'envy', ...FAST], { env: { STAGE: 'one' } });
  await tend.waitForStatus('envy', 'online');
  await tend.ok(['start', PRINT_ENV, '--name', 'envy', '--update-env'], { env: { STAGE: 'two' } });
  await until(async () => (await tend.ok(['env', 'envy'])).split('\n').includes('STAGE=two'), 'STAGE two');
  await tend.ok(['delete', 'envy']);
});

test('ls --sort and ls -m', async () => {
  await tend.ok(['start', IDLE, '--name', 'b-app', ...FAST]);
  await tend.ok(['start', IDLE, '--name', 'a-app', ...FAST]);
  const sorted = await tend.ok(['ls', '--sort', 'name:desc']);
  const order = ['idle', 'b-app', 'a-app'].map((n) => sorted.indexOf(` ${n} `));
  assert.ok(order.every((at) => at > 0) && order[0]! < order[1]! && order[1]! < order[2]!, sorted);
  const mini = (await tend.ok(['ls', '-m'])).trim().split('\n');
  assert.equal(mini.length, (await tend.jlist()).length);
  assert.equal((await tend.run(['ls', '--sort', 'colour'])).code, 2);
});

test('PM2-only verbs say what to do instead; suggestions do not mislead; report', async () => {
  for (const verb of ['deploy', 'install', 'module:install', 'link', 'plus']) {
    const result = await tend.run([verb, 'x']);
    assert.equal(result.code, 1, verb);
    assert.equal(result.stderr.split('\n').length, 2, `one line: ${result.stderr}`);
  }
  const typo = await tend.run(['lsit']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean `tend list`/);
  const far = await tend.run(['deplyo']);
  assert.doesNotMatch(far.stderr, /del/);
  const report = await tend.ok(['report']);
  for (const part of ['## versions', 'node v', '## daemon', 'running: pid', 'a-app', '## daemon log']) assert.ok(report.includes(part), part);
});

test('start --attach starts the app, then streams its logs', async () => {
  const child = spawn(process.execPath, [TEND_BIN, 'start', join(FIXTURES, 'print-ticks.js'), '--name', 'attached', '--attach', ...FAST], { env: tend.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    // Streamed lines carry the app's prefix: the command is following, not only printing a tail.
    await until(() => /attached \| tick \d+/.test(out), 'a streamed log line of the app');
    assert.equal(child.exitCode, null, 'still following');
  } finally {
    if (child.pid) killQuietly(child.pid, 'SIGINT');
  }
  await tend.waitForStatus('attached', 'online');
});

test('start --no-daemon runs the app in the foreground (tend runtime), with no daemon', async () => {
  const home = new TendHarness('tend-nodaemon-');
  const child = spawn(process.execPath, [TEND_BIN, 'start', IDLE, '--no-daemon'], { env: home.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await until(() => out.includes('| ready'), 'the app line on stdout');
    assert.equal(home.daemonPid(), null, 'no daemon started');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null && child.pid) killQuietly(child.pid);
    await home.cleanup();
  }
});
