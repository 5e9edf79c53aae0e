import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, REPO_ROOT, TendHarness, killQuietly, until } from '../../helpers/tend-harness.js';
import { readAllProcStats } from '../../../src/metrics/proc-stat.js';

// A real dump.pm2, written by PM2 itself (the devDependency) under its own temporary PM2_HOME.
const pm2Home = mkdtempSync(join(tmpdir(), 'tend-pm2-'));
const PM2_BIN = join(REPO_ROOT, 'node_modules/pm2/bin/pm2');
const SECRETS = ['s3cret-job-value', 'tok-web-value'];
const saved = new TendHarness('tend-imp-');
const started = new TendHarness('tend-ims-');

function pm2(args: string[]): string {
  const result = spawnSync(process.execPath, [PM2_BIN, ...args], { encoding: 'utf8', env: { ...process.env, PM2_HOME: pm2Home }, timeout: 60_000 });
  if (result.status !== 0) throw new Error(`pm2 ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** PM2's daemon by its pid file, then whatever still carries this PM2_HOME (by pid, never by name). */
function endPm2(): void {
  try {
    killQuietly(Number(readFileSync(join(pm2Home, 'pm2.pid'), 'utf8').trim()));
  } catch {
    // No pid file: the daemon is gone.
  }
  const marker = `PM2_HOME=${pm2Home}`;
  for (const stat of readAllProcStats()) {
    if (stat.pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${stat.pid}/environ`, 'latin1').split('\0').includes(marker)) killQuietly(stat.pid);
    } catch {
      // Gone, or not ours.
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let port = 0;
before(async () => {
  port = await freePort();
  const config = join(pm2Home, 'pm2.config.cjs');
  writeFileSync(
    config,
    `module.exports = { apps: [
  { name: 'jobs', script: ${JSON.stringify(join(FIXTURES, 'idle.js'))}, env: { JOB_MODE: 'batch', JOB_SECRET: '${SECRETS[0]}' }, restart_delay: 500, vizion: false },
  { name: 'web', script: ${JSON.stringify(join(FIXTURES, 'http-hello.js'))}, instances: 2, exec_mode: 'cluster', kill_timeout: 3000, env: { PORT: ${port}, WEB_TOKEN: '${SECRETS[1]}' } },
] };\n`,
  );
  pm2(['start', config]);
  pm2(['save']);
  pm2(['kill']);
  endPm2();
});
after(async () => {
  endPm2();
  await saved.cleanup();
  await started.cleanup();
  rmSync(pm2Home, { recursive: true, force: true });
});

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `an env value was printed: ${text}`);
}

async function assertImported(tend: TendHarness): Promise<void> {
  const list = await tend.waitFor((l) => l.length === 3 && l.every((i) => i.status === 'online'), 'jobs and 2 web workers online');
  const shape = list.map((i) => `${i.name}:${i.mode}`).sort();
  assert.deepEqual(shape, ['jobs:fork', 'web:cluster', 'web:cluster']);
  const jobs = list.find((i) => i.name === 'jobs');
  const env = await tend.ok(['env', String(jobs?.id)]);
  assert.match(env, new RegExp(`^JOB_SECRET=${SECRETS[0]}$`, 'm'));
  assert.match(env, /^JOB_MODE=batch$/m);
  const web = JSON.parse(await tend.ok(['describe', 'web', '--json', '--env'])) as Array<{ spec: { killTimeoutMs: number; env: Record<string, string> } }>;
  assert.equal(web[0]?.spec.killTimeoutMs, 3000);
  assert.equal(web[0]?.spec.env.WEB_TOKEN, SECRETS[1]);
  const jobsSpec = JSON.parse(await tend.ok(['describe', 'jobs', '--json'])) as Array<{ spec: { restartDelayMs: number } }>;
  assert.equal(jobsSpec[0]?.spec.restartDelayMs, 500);
  // The cluster really serves on the port PM2 had.
  const body = await until(async () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => undefined), 'web answers');
  assert.match(body, /^hello \d+$/);
}

test('import pm2 saves every app of a real dump for resurrect, reporting options without meaning and no env value', async () => {
  const result = await saved.run(['import', 'pm2', '--pm2-home', pm2Home]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ {2}jobs: fork x1, .*idle\.js, env JOB_MODE, JOB_SECRET \(\+\d+ inherited variables\)$/m);
  assert.match(result.stdout, /^ {2}web: cluster x2, .*http-hello\.js, env PORT, WEB_TOKEN \(\+\d+ inherited variables\)$/m);
  assert.match(result.stderr, /warning: .*"jobs": vizion has no effect in tend/);
  assert.doesNotMatch(result.stderr, /"web": vizion/, 'PM2 defaults are not reported');
  assertNoSecret(result.stdout + result.stderr);
  assert.deepEqual(await saved.jlist(), [], 'nothing started without --start');
  assertNoSecret(await saved.ok(['resurrect']));
  await assertImported(saved);
  await saved.ok(['kill']);
});

test('import pm2 --start starts them at once', async () => {
  const result = await started.run(['import', 'pm2', '--pm2-home', pm2Home, '--start']);
  assert.equal(result.code, 0, result.stderr);
  assertNoSecret(result.stdout + result.stderr);
  await assertImported(started);
});

test('init --from-pm2 writes the apps as a private ecosystem file that validates and applies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-init-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
    const result = await started.run(['init', '--from-pm2', '--pm2-home', pm2Home], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assertNoSecret(result.stdout + result.stderr);
    const file = join(dir, 'ecosystem.config.js');
    assert.match(result.stdout, /wrote .*ecosystem\.config\.js with 2 app\(s\)/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), new RegExp(SECRETS[0] as string), 'the file keeps the env values');
    assert.match(await started.ok(['validate', file]), /valid, 2 apps \(jobs, web\)/);
    // The apps already run under these names (previous test): the file's specs match them but
    // for the file they now come from.
    const plan = await started.ok(['apply', file, '--dry-run']);
    assert.match(plan, /^~ jobs: config file$/m);
    assert.match(plan, /^~ web: config file$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import pm2 from a home without a dump says so and starts nothing', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'tend-nopm2-'));
  try {
    const result = await started.run(['import', 'pm2', '--pm2-home', empty]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no PM2 process list to import \(.*dump\.pm2: does not exist; .*dump\.pm2\.bak: does not exist\); run `pm2 save` first/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
