import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, TendHarness } from '../../helpers/tend-harness.js';

// The `tend` command is a small shell launcher (src/bin/tend.sh) in front of dist/bin/tend.js.

const LAUNCHER = join(REPO_ROOT, 'dist/bin/tend');
let tend: TendHarness;
let link: string;
let recorder: string;
before(() => {
  tend = new TendHarness();
  // Linked from elsewhere, as npm installs it.
  link = join(tend.home, 'tend-link');
  symlinkSync(LAUNCHER, link);
  // Stands in for node: records the environment it was started with, then runs node.
  recorder = join(tend.home, 'record-env.sh');
  writeFileSync(recorder, `#!/bin/sh\nenv > "$ENV_RECORD"\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
});
after(() => tend.cleanup());

function runLinked(args: string[]): { status: number | null; stdout: string; env: string[] } {
  const record = join(tend.home, `env-${args.join('-')}.txt`);
  const env = { ...tend.env(), TEND_NODE: recorder, ENV_RECORD: record, NODE_EXTRA_CA_CERTS: join(tend.home, 'extra-ca.pem') };
  const run = spawnSync(link, args, { env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, env: readFileSync(record, 'utf8').split('\n') };
}

test('the launcher runs tend through a symlink', () => {
  const run = spawnSync(link, ['--version'], { env: tend.env(), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^\d+\.\d+\.\d+/);
});

test('ping and jlist start node without NODE_EXTRA_CA_CERTS; other verbs keep it', () => {
  const extra = `NODE_EXTRA_CA_CERTS=${join(tend.home, 'extra-ca.pem')}`;
  for (const verb of ['ping', 'jlist']) {
    const run = runLinked([verb]);
    assert.equal(run.status, 0, verb);
    assert.ok(!run.env.some((line) => line.startsWith('NODE_EXTRA_CA_CERTS=')), `${verb} kept the variable`);
  }
  // Not alone on the line: not the fast path either.
  assert.ok(runLinked(['jlist', '--help']).env.includes(extra));
  const list = runLinked(['list']);
  assert.equal(list.status, 0);
  assert.ok(list.env.includes(extra), 'list lost the variable');
});

test('ping and jlist through the launcher run the CommonJS fast path and print what tend.js prints', async () => {
  await tend.ok(['start', '/usr/bin/sleep', '--name', 'napper', '--', '1000']);
  // The recorder is node's stand-in: the file it was asked to run is the last but one argument.
  const recorded = join(tend.home, 'record-args.sh');
  writeFileSync(recorded, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGS_RECORD"\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
  for (const verb of ['ping', 'jlist']) {
    const record = join(tend.home, `args-${verb}.txt`);
    const run = spawnSync(link, [verb], { env: { ...tend.env(), TEND_NODE: recorded, ARGS_RECORD: record }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readFileSync(record, 'utf8').trim().split('\n'), [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), verb]);
    const direct = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/tend.js'), verb], { env: tend.env(), encoding: 'utf8' });
    assert.equal(direct.status, 0, direct.stderr);
    const rows = (text: string) => (JSON.parse(text) as Array<{ id: number; name: string; pid: number }>).map((row) => [row.id, row.name, row.pid]);
    if (verb === 'jlist') assert.deepEqual(rows(run.stdout), rows(direct.stdout));
    else assert.equal((JSON.parse(run.stdout) as { pid: number }).pid, (JSON.parse(direct.stdout) as { pid: number }).pid);
  }
  assert.equal((JSON.parse(spawnSync(link, ['jlist'], { env: tend.env(), encoding: 'utf8' }).stdout) as unknown[]).length, 1);
});

test('the fast path alone refuses anything but ping or jlist', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), 'list'], { env: tend.env(), encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /only `ping` or `jlist`/);
});
