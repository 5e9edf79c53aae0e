import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

const harness = new TendHarness('tend-export-');
after(() => harness.cleanup());

const SECRET = 'pw-never-in-output';
const project = join(harness.home, 'project');

function writeProject(apps: unknown[]): string {
  const file = join(project, 'ecosystem.config.json');
  writeFileSync(file, JSON.stringify({ apps }));
  return file;
}

test('setup: a project folder with an app', async () => {
  await harness.ok(['ping']);
  mkdirSync(project, { recursive: true });
  copyFileSync(join(FIXTURES, 'http-hello.js'), join(project, 'server.js'));
});

test('export resolves the ecosystem file as start does (--env), prints YAML, and keeps secrets out', async () => {
  writeProject([{ name: 'api', script: 'server.js', instances: 2, port: 3100, env: { DB_PASSWORD: SECRET }, env_production: { NODE_ENV: 'production' } }]);
  const out = await harness.ok(['export', 'kubernetes', '--image', 'shop:1', '--env', 'production'], { cwd: project });
  const kinds = parseAllDocuments(out).map((d) => (d.toJSON() as { kind: string }).kind);
  assert.deepEqual(kinds, ['ConfigMap', 'Deployment', 'Service']);
  assert.match(out, /NODE_ENV: production/);
  assert.match(out, /secretKeyRef:\n\s+name: api-secrets\n\s+key: DB_PASSWORD/);
  assert.ok(!out.includes(SECRET));
});

test('--image is required for kubernetes and compose: usage error, exit 2', async () => {
  const result = await harness.run(['export', 'compose', 'ecosystem.config.json'], { cwd: project });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^tend: compose runs images: pass --image REF/);
});

test('an option the target cannot carry fails with exit 1 naming it, and --allow-lossy exports and lists it', async () => {
  writeProject([{ name: 'api', script: 'server.js', cron_restart: '0 3 * * *' }]);
  const failed = await harness.run(['export', 'nomad'], { cwd: project });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /api: cron_restart: a service job has no schedule/);
  const out = JSON.parse(await harness.ok(['export', 'nomad', '--allow-lossy'], { cwd: project })) as { Job: { Meta: Record<string, string> } };
  assert.match(out.Job.Meta['tend-export'] ?? '', /Dropped \(--allow-lossy\):\n\s+api: cron_restart/);
});

test('--out writes one file per unit', async () => {
  writeProject([{ name: 'api', script: 'server.js', instances: 2, cron_restart: '0 3 * * *' }]);
  const dir = join(harness.home, 'units');
  await harness.ok(['export', 'systemd', '--out', dir], { cwd: project });
  assert.deepEqual(readdirSync(dir).sort(), ['api-restart.service', 'api-restart.timer', 'api@.service']);
  assert.match(readFileSync(join(dir, 'api@.service'), 'utf8'), /^ExecStart=\S+node \S+\/project\/server\.js$/m);
});

test('export from running apps reads their stored specs through the daemon', async () => {
  const file = writeProject([{ name: 'live', script: 'server.js', port: 3101, kill_timeout: 4000, env: { API_TOKEN: SECRET } }]);
  await harness.ok(['start', file]);
  await harness.waitForStatus('live', 'online');
  const out = await harness.ok(['export', 'compose', 'live', '--image', 'shop:2']);
  assert.match(out, /^# Exported by `tend export compose` from running apps\./);
  assert.match(out, /stop_grace_period: 4000ms/);
  assert.match(out, /API_TOKEN: \$\{API_TOKEN:\?/);
  assert.ok(!out.includes(SECRET));
  const missing = await harness.run(['export', 'compose', 'nope', '--image', 'shop:2']);
  assert.equal(missing.code, 1);
});

test('an unknown target is a usage error', async () => {
  const result = await harness.run(['export', 'swarm'], { cwd: project });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /expected one of kubernetes, compose, nomad, systemd, containerfile/);
});
