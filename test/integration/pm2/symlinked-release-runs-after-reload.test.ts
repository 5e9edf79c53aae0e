import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult, InstanceInfo } from '../../../src/core/instance-info.js';
import { TendHarness, until } from '../../helpers/tend-harness.js';

// A deploy layout: releases/N hold the code, `current` points to one of them. The app writes
// which release it runs and its working folder into a file named by its pid.
let tend: TendHarness;
let root: string;
before(() => {
  tend = new TendHarness();
  root = mkdtempSync(join(tmpdir(), 'tend-deploy-'));
  for (const release of ['1', '2']) {
    mkdirSync(join(root, 'releases', release), { recursive: true });
    writeFileSync(
      join(root, 'releases', release, 'app.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(root)} + '/ran-' + process.pid, JSON.stringify({ release: ${release}, cwd: process.cwd() }));\nsetInterval(() => {}, 1000);\n`,
    );
  }
  pointCurrentTo('1');
});
after(async () => {
  await tend.cleanup();
  rmSync(root, { recursive: true, force: true });
});

/** Flips `current` atomically, as deploy tools do (a new link renamed over the old one). */
function pointCurrentTo(release: string): void {
  const next = join(root, `current.next`);
  symlinkSync(join('releases', release), next);
  renameSync(next, join(root, 'current'));
}

async function releaseRunBy(pid: number | null | undefined): Promise<{ release: number; cwd: string }> {
  assert.ok(pid, 'the instance has a pid');
  // The app's writeFileSync creates the file before it writes: read until it holds the whole JSON.
  return until(() => {
    try {
      return JSON.parse(readFileSync(join(root, `ran-${pid}`), 'utf8')) as { release: number; cwd: string };
    } catch {
      return undefined;
    }
  }, `pid ${pid} to say which release it runs`);
}

const online = (list: InstanceInfo[], name: string, notPids: Array<number | null>): boolean =>
  list.filter((i) => i.name === name).every((i) => i.status === 'online' && !notPids.includes(i.pid));

for (const mode of [
  { name: 'fork-app', flags: [] as string[] },
  { name: 'cluster-app', flags: ['-i', '2'] },
]) {
  test(`a script and cwd given through a symlink are resolved again at each start: reload runs the new release (${mode.name})`, async () => {
    pointCurrentTo('1');
    await tend.ok(['start', join(root, 'current', 'app.js'), '--cwd', join(root, 'current'), '--name', mode.name, '--min-uptime', '200ms', ...mode.flags]);
    const count = mode.flags.length > 0 ? 2 : 1;
    const first = await tend.waitForStatus(mode.name, 'online', count);
    for (const row of first) assert.deepEqual(await releaseRunBy(row.pid), { release: 1, cwd: join(root, 'releases', '1') });

    const [described] = JSON.parse(await tend.ok(['describe', mode.name, '--json'])) as DescribeResult[];
    assert.equal(described?.spec.script, join(root, 'current', 'app.js'), 'the script is kept as given');
    assert.equal(described?.spec.cwd, join(root, 'current'), 'the cwd is kept as given');

    pointCurrentTo('2');
    await tend.ok(['reload', mode.name]);
    const oldPids = first.map((i) => i.pid);
    const second = await tend.waitFor((l) => online(l, mode.name, oldPids), `${mode.name} reloaded`);
    for (const row of second.filter((i) => i.name === mode.name)) {
      assert.deepEqual(await releaseRunBy(row.pid), { release: 2, cwd: join(root, 'releases', '2') }, 'the new pid runs the new release');
    }
    await tend.ok(['delete', mode.name]);
  });
}
