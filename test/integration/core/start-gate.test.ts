import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findHolderTools, holderArgs } from '../../../src/daemon/holder-script.js';
import { FIXTURES, TEND_BIN, TendHarness, delay, isAlive, until } from '../../helpers/tend-harness.js';
import { releaseHolder } from '../../../src/daemon/holder-files.js';
import { ForkDriver } from '../../../src/daemon/fork-driver.js';
import type { AppSpec } from '../../../src/core/app-spec.js';

// Fork-mode apps start under a tiny /bin/sh holder (src/daemon/holder-script.ts) whose child execs
// them once released. What an app receives must be exactly what it would get when spawned directly.

let tend: TendHarness;
let reports: string;
before(() => {
  tend = new TendHarness();
  reports = join(tend.home, 'reports');
  mkdirSync(reports);
});
after(() => tend.cleanup());

interface Report {
  pid: number;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

async function reportOf(id: number, pid: number): Promise<Report> {
  return until(() => {
    try {
      const report = JSON.parse(readFileSync(join(reports, `${id}.json`), 'utf8')) as Report;
      return report.pid === pid ? report : undefined;
    } catch {
      return undefined;
    }
  }, `report of instance ${id}`);
}

test('arguments arrive verbatim, the pid is the app, and PWD is what the environment held', async () => {
  const args = ['a b', '$HOME', '*', '', '--flag=x;y', "it's"];
  // Node runs the CLI directly here: the `tend` launcher is a POSIX shell, which sets a PWD that
  // does not name its working folder to the real path as it starts, as every shell does.
  const withPwd = { ...process.env, TEND_HOME: tend.home, REPORT_DIR: reports, PWD: '/somewhere/else' };
  const started = spawnSync(process.execPath, [TEND_BIN, 'start', join(FIXTURES, 'report-process.js'), '--name', 'withpwd', '--', ...args], { env: withPwd, encoding: 'utf8' });
  assert.equal(started.status, 0, started.stderr);
  const first = (await tend.waitForStatus('withpwd', 'online')).find((i) => i.name === 'withpwd');
  assert.ok(first?.pid);
  const report = await reportOf(first.id, first.pid);
  assert.deepEqual(report.argv, args);
  assert.equal(report.env.PWD, '/somewhere/else', 'the gate shell must not rewrite PWD');
  assert.match(readFileSync(`/proc/${first.pid}/cmdline`, 'latin1'), /report-process\.js/);

  // A CLI environment without PWD gives an app without PWD.
  const env = { ...process.env, TEND_HOME: tend.home, REPORT_DIR: reports } as Record<string, string>;
  delete env.PWD;
  const cli = spawnSync(process.execPath, [TEND_BIN, 'start', join(FIXTURES, 'report-process.js'), '--name', 'nopwd'], { env, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const second = (await tend.waitForStatus('nopwd', 'online')).find((i) => i.name === 'nopwd');
  assert.ok(second?.pid);
  assert.equal((await reportOf(second.id, second.pid)).env.PWD, undefined);
});

test('a gate that is never released never runs the app; released, the holder records its status and waits for the ack', async () => {
  const tools = findHolderTools();
  assert.ok(tools, 'this system has /bin/sh, mkfifo and setsid');
  const marker = join(reports, 'ran');
  const runHolder = async (input: string) => {
    const dir = mkdtempSync(join(reports, 'holder-'));
    const holder = spawn('/bin/sh', holderArgs(dir, tools, {}, '/bin/sh', ['-c', `touch ${marker}; exit 7`]), { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    holder.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => holder.on('exit', (code) => resolve(code)));
    holder.stdin.end(input);
    const status = await until(() => existsSync(join(dir, 'status')) && readFileSync(join(dir, 'status'), 'utf8'), 'the status file');
    assert.ok(isAlive(holder.pid as number), 'the holder keeps the pipes until it is released');
    releaseHolder(dir);
    return { code: await exited, status, out };
  };
  const notReleased = await runHolder('');
  assert.deepEqual([notReleased.code, notReleased.status], [1, '1\n']);
  assert.throws(() => readFileSync(marker), /ENOENT/);
  const released = await runHolder('go\n');
  assert.deepEqual([released.code, released.status], [7, '7\n']);
  assert.match(released.out, /^\d+\n7\n$/, 'the holder prints the app pid, then its status');
  readFileSync(marker);
});

test('the go line waits for the state file: no app boots before the daemon recorded it', async () => {
  // ForkDriver's `recorded` is StateKeeper.recorded in the daemon; here the test decides.
  let record: () => void = () => undefined;
  const recorded = new Promise<void>((resolve) => (record = resolve));
  const holders = join(reports, 'holders');
  const driver = new ForkDriver({ holdersDir: holders, recorded: () => recorded });
  const marker = join(reports, 'booted');
  const spec = { name: 'gated', script: '/bin/sh', args: ['-c', `touch ${marker}; exec sleep 1000`], interpreter: null, interpreterArgs: [], cwd: reports, uid: null, gid: null, readyProtocol: 'none' } as unknown as AppSpec;
  let exited = false;
  const spawned = await driver.spawn({ spec, id: 900, instance: 0, env: { PATH: process.env.PATH ?? '' } }, { exited: () => (exited = true), readyReceived: () => undefined, messageReceived: () => undefined });
  try {
    await delay(500);
    assert.ok(!existsSync(marker), 'the app has not booted: the state file does not name it yet');
    assert.ok(isAlive(spawned.pid), 'its process waits in the gate');
    record();
    await until(() => existsSync(marker), 'the app booted once recorded');
  } finally {
    spawned.sendSignal('SIGKILL');
    await until(() => exited, 'the app exit reported');
    spawned.stdout?.destroy();
    spawned.stderr?.destroy();
  }
});

const isRoot = process.getuid?.() === 0;

test('a command the app user may not run is a clear start error, not a crash loop', { skip: isRoot ? false : 'needs root to start an app as another user' }, async () => {
  // Run directly (no extension), and only its owner (root) may: the daemon (root) would pass its own access check.
  const script = join(tend.home, 'root-only');
  writeFileSync(script, '#!/bin/sh\nsleep 100\n', { mode: 0o700 });
  const result = await tend.run(['start', script, '--name', 'rootonly', '--uid', 'nobody']);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /root-only.*(EACCES|not executable)/);
  const listed = (await tend.jlist()).find((i) => i.name === 'rootonly');
  assert.ok(listed === undefined || listed.status === 'errored', JSON.stringify(listed));
  assert.equal(listed?.restarts ?? 0, 0, 'never restarted');
});
