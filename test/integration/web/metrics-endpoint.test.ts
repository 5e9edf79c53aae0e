import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { metricValue, startWeb } from './web-support.js';

const tend = new TendHarness('tend-metrics-');
let base = '';
let token = '';
// An awkward namespace shows label escaping end to end: quote, backslash.
const NAMESPACE = 'team "a" \\ b';
const ESCAPED = 'team \\"a\\" \\\\ b';

before(async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'pair', '-i', '2', '-x', '--namespace', NAMESPACE]);
  await tend.waitForStatus('pair', 'online', 2);
  const web = await startWeb(tend);
  base = web.url ?? '';
  token = web.token;
});

after(() => tend.cleanup());

async function scrape(): Promise<string> {
  const response = await fetch(`${base}metrics`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

test('promtool accepts the /metrics page', { skip: spawnSync('promtool', ['--version']).error ? 'promtool is not installed' : false }, async () => {
  const text = await scrape();
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  // promtool prints lint advice on stdout/stderr and exits non-zero for problems.
  assert.equal(check.status, 0, `${check.stdout}${check.stderr}\n${text}`);
});

test('/metrics reports the right values per instance, per app and for the daemon', async () => {
  const list = await tend.jlist();
  // Memory comes from the sampler: wait for its first tick of both instances.
  const text = await until(async () => {
    const page = await scrape();
    return list.every((i) => (metricValue(page, 'tend_instance_memory_bytes', labels(i.id, i.instance)) ?? 0) > 0) ? page : undefined;
  }, 'a memory sample of both instances');
  assert.equal(metricValue(text, 'tend_app_instances_configured', { name: 'pair', namespace: ESCAPED }), 2);
  assert.equal(metricValue(text, 'tend_app_instances_running', { name: 'pair', namespace: ESCAPED }), 2);
  for (const info of list) {
    assert.equal(metricValue(text, 'tend_instance_status', { ...labels(info.id, info.instance), status: 'online' }), 1);
    assert.equal(metricValue(text, 'tend_instance_status', { ...labels(info.id, info.instance), status: 'stopped' }), 0);
    assert.equal(metricValue(text, 'tend_instance_restarts_total', labels(info.id, info.instance)), 0);
    assert.ok((metricValue(text, 'tend_instance_uptime_seconds', labels(info.id, info.instance)) ?? -1) >= 0);
  }
  assert.ok((metricValue(text, 'tend_daemon_memory_bytes', {}) ?? 0) > 10 * 1024 * 1024);
  assert.match(text, /^# TYPE tend_instance_restarts_total counter$/m);

  await tend.ok(['stop', '0']);
  await tend.waitFor((l) => l.find((i) => i.id === 0)?.status === 'stopped', 'id 0 stopped');
  const later = await scrape();
  assert.equal(metricValue(later, 'tend_app_instances_running', { name: 'pair', namespace: ESCAPED }), 1);
  assert.equal(metricValue(later, 'tend_instance_status', { ...labels(0, list.find((i) => i.id === 0)?.instance ?? 0), status: 'stopped' }), 1);
});

function labels(id: number, instance: number): Record<string, string> {
  return { id: String(id), name: 'pair', namespace: ESCAPED, instance: String(instance) };
}
