import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

test('ping and jlist start node without NODE_EXTRA_CA_CERTS; other verbs keep it', async () => {
  const extra = `NODE_EXTRA_CA_CERTS=${join(tend.home, 'extra-ca.pem')}`;
  for (const verb of ['ping', 'jlist']) {
    // No daemon: the native client hands the verb to Node, which starts one.
    const run = runLinked([verb]);
    assert.equal(run.status, 0, verb);
    assert.ok(!run.env.some((line) => line.startsWith('NODE_EXTRA_CA_CERTS=')), `${verb} kept the variable`);
    await tend.ok(['kill']);
  }
  // Not alone on the line: not the fast path either.
  assert.ok(runLinked(['jlist', '--help']).env.includes(extra));
  const list = runLinked(['list']);
  assert.equal(list.status, 0);
  assert.ok(list.env.includes(extra), 'list lost the variable');
});

/** jlist's rows without what changes from one moment to the next. */
function steadyRows(text: string): unknown[] {
  return (JSON.parse(text) as Array<Record<string, unknown>>).map(({ uptime_ms: _u, cpu: _c, memory: _m, monit: _n, ...row }) => row);
}

test('with the daemon up, ping and jlist through the launcher start no node and print what tend.js prints', async () => {
  await tend.ok(['start', '/usr/bin/sleep', '--name', 'napper', '--', '1000']);
  // Online first: the lists compared below are taken moments apart.
  await tend.waitForStatus('napper', 'online');
  // The recorder is node's stand-in: it writes the arguments it was started with.
  const recorded = join(tend.home, 'record-args.sh');
  writeFileSync(recorded, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGS_RECORD"\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
  for (const verb of ['ping', 'jlist']) {
    const record = join(tend.home, `args-${verb}.txt`);
    const run = spawnSync(link, [verb], { env: { ...tend.env(), TEND_NODE: recorded, ARGS_RECORD: record }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(existsSync(record), false, `${verb} started node`);
    // The same bytes as tend.js and as the Node fast path (which runs where no C compiler was).
    for (const entry of ['tend.js', 'tend-fast.cjs']) {
      const direct = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin', entry), verb], { env: tend.env(), encoding: 'utf8' });
      assert.equal(direct.status, 0, direct.stderr);
      if (verb === 'jlist') assert.deepEqual(steadyRows(run.stdout), steadyRows(direct.stdout), entry);
      else assert.equal(run.stdout, direct.stdout, entry);
      assert.ok(run.stdout.endsWith('}\n') || run.stdout.endsWith(']\n'), entry);
    }
  }
  assert.equal((JSON.parse(spawnSync(link, ['jlist'], { env: tend.env(), encoding: 'utf8' }).stdout) as unknown[]).length, 1);
});

test('the fast path alone refuses anything but ping or jlist', () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), 'list'], { env: tend.env(), encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /only `ping` or `jlist`/);
});
