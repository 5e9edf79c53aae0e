import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { exportApps } from '../../../src/export/index.js';
import { exportOptions, shopApps } from './export-fixture.js';
import { composeProblems, kubernetesProblems, nomadProblems, systemdProblems } from './target-validators.js';

const only = (target: Parameters<typeof exportApps>[0]) => exportApps(target, shopApps(), exportOptions())[0]!.content;

test('kubernetes output passes kubernetes-models validation and has no field its types lack', () => {
  assert.deepEqual(kubernetesProblems(only('kubernetes')), []);
});

test('the kubernetes check catches an unknown field and a wrong type', () => {
  const bad = only('kubernetes').replace('terminationGracePeriodSeconds: 5', 'terminationGracePeriodSecond: 5').replace('replicas: 3', 'replicas: three');
  const problems = kubernetesProblems(bad);
  assert.ok(problems.some((p) => p.includes('terminationGracePeriodSecond')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('replicas')), problems.join('\n'));
});

test('kubernetes output with --namespace passes too', () => {
  assert.deepEqual(kubernetesProblems(exportApps('kubernetes', shopApps(), exportOptions({ namespace: 'shop' }))[0]!.content), []);
});

test('compose output passes the compose-spec schema', () => {
  assert.deepEqual(composeProblems(only('compose')), []);
});

test('--runtime output (tend-runtime in the container) passes the kubernetes and compose checks', () => {
  const withRuntime = (target: 'kubernetes' | 'compose') => exportApps(target, shopApps(), exportOptions({ runtime: true }))[0]!.content;
  assert.deepEqual(kubernetesProblems(withRuntime('kubernetes')), []);
  assert.deepEqual(composeProblems(withRuntime('compose')), []);
});

test('the compose check catches an unknown service field', () => {
  assert.notDeepEqual(composeProblems(only('compose').replace('stop_signal:', 'stop_signals:')), []);
});

test('nomad output passes the schema of the subset tend writes', () => {
  assert.deepEqual(nomadProblems(only('nomad')), []);
});

test('the nomad check catches a field outside the subset', () => {
  assert.notDeepEqual(nomadProblems(only('nomad').replace('"KillSignal"', '"KillSignals"')), []);
});

test('systemd units pass systemd-analyze verify without a line printed', () => {
  const root = mkdtempSync(join(tmpdir(), 'tend-export-shop-'));
  try {
    mkdirSync(join(root, 'workers'));
    for (const script of ['web.js', 'workers/mailer.js', 'migrate.js']) writeFileSync(join(root, script), '');
    const files = exportApps('systemd', shopApps(root, process.execPath), exportOptions());
    assert.equal(files.length, 5);
    assert.deepEqual(systemdProblems(files), []);
    const broken = files.map((f) => ({ ...f, content: f.content.replace('KillSignal=SIGINT', 'KillSignal=SIGNOPE') }));
    assert.notDeepEqual(systemdProblems(broken), [], 'the check sees a bad signal');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the cron_restart CronJob's restart script compiles and patches with valid JSON", () => {
  const cronJob = parseAllDocuments(only('kubernetes'))
    .map((d) => d.toJSON() as { kind: string; spec: { jobTemplate: { spec: { template: { spec: { containers: Array<{ command: string[] }> } } } } } })
    .find((o) => o.kind === 'CronJob');
  const command = cronJob?.spec.jobTemplate.spec.template.spec.containers[0]?.command ?? [];
  assert.deepEqual(command.slice(0, 2), ['node', '-e']);
  assert.doesNotThrow(() => new Script(command[2] ?? 'syntax error here'));
  const body = /body: ("(?:[^"\\]|\\.)*")/.exec(command[2] ?? '')?.[1] ?? '""';
  assert.deepEqual(Object.keys(JSON.parse(JSON.parse(body) as string) as object), ['spec']);
});

test('depends_on becomes compose depends_on and systemd After=/Requires=, both valid; kubernetes and nomad refuse it without --allow-lossy', () => {
  const apps = shopApps().map((app, k) => (k === 0 ? app : { ...app, dependsOn: [shopApps()[0]!.name] }));
  const dependent = apps[1]!.name;
  const dependency = apps[0]!.name;
  const compose = exportApps('compose', apps, exportOptions({ allowLossy: true }))[0]!.content;
  assert.deepEqual(composeProblems(compose), []);
  assert.match(compose, new RegExp(`depends_on:\\n\\s+${dependency}:\\n\\s+condition: service_started`));
  const units = exportApps('systemd', apps, exportOptions({ allowLossy: true }));
  const unit = units.find((file) => file.content.includes(`Description=${dependent} `))?.content ?? '';
  assert.match(unit, new RegExp(`Requires=${dependency}`));
  const mailerOnly = [apps.find((app) => app.dependsOn !== undefined && app.name === dependent)!];
  for (const target of ['kubernetes', 'nomad'] as const) {
    assert.throws(() => exportApps(target, mailerOnly, exportOptions({ allowLossy: false })), /depends_on/);
  }
});

test('readiness and liveness probes become kubernetes probes that pass its validation', () => {
  const probed = shopApps().map((app, k) =>
    k === 0
      ? {
          ...app,
          readiness: { check: { type: 'http' as const, url: 'http://127.0.0.1:3000/ready?full=1' }, periodMs: 2500, timeoutMs: 500, failureThreshold: 3, successThreshold: 1, initialDelayMs: 0 },
          liveness: { check: { type: 'exec' as const, argv: ['/app/check', '--deep'] }, periodMs: 10_000, timeoutMs: 1000, failureThreshold: 5, successThreshold: 1, initialDelayMs: 4000 },
        }
      : app,
  );
  const yaml = exportApps('kubernetes', probed, exportOptions())[0]!.content;
  assert.deepEqual(kubernetesProblems(yaml), []);
  assert.match(yaml, /readinessProbe:\n\s+httpGet:\n\s+path: \/ready\?full=1\n\s+port: 3000\n\s+scheme: HTTP\n\s+periodSeconds: 3/);
  assert.match(yaml, /livenessProbe:\n\s+exec:\n\s+command:\n\s+- \/app\/check\n\s+- --deep/);
});
