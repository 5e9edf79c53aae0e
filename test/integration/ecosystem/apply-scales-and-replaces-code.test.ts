import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP, byName } from './support.js';
import { findFreePort } from '../../helpers/ports.js';

const tend = new TendHarness();
const dir = new ConfigDir();
const file = join(dir.path, 'eco.json');
const HTTP_APP = join(FIXTURES, 'http-hello.js');
let port = 0;

before(async () => {
  port = await findFreePort();
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

function write(web: Record<string, unknown>, job: Record<string, unknown>): void {
  dir.write('eco.json', JSON.stringify({ apps: [{ name: 'web', script: HTTP_APP, exec_mode: 'cluster', env: { PORT: port }, ...web }, { name: 'job', ...job }] }));
}

function cmdline(pid: number | null): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
}

test('apply scales a cluster without touching its workers, and replaces a changed script', async () => {
  write({ instances: 1 }, { script: IDLE_APP });
  await tend.ok(['apply', file]);
  let list = await tend.waitFor((l) => l.length === 2 && l.every((i) => i.status === 'online'), 'web and job online');
  const firstWorker = byName(list, 'web')[0]?.pid;
  const firstJob = byName(list, 'job')[0]?.pid;

  write({ instances: 3 }, { script: IDLE_APP });
  const scaled = await tend.ok(['apply', file]);
  assert.match(scaled, /^~ web: instances 1 -> 3$/m);
  list = await tend.waitFor((l) => byName(l, 'web').filter((i) => i.status === 'online').length === 3, '3 web workers online');
  assert.equal(byName(list, 'web')[0]?.pid, firstWorker, 'the first worker kept serving');
  assert.equal(byName(list, 'job')[0]?.pid, firstJob, 'job untouched');

  const other = join(FIXTURES, 'log-signals.js');
  write({ instances: 3 }, { script: other, args: ['--x'] });
  const replaced = await tend.ok(['apply', file]);
  assert.match(replaced, /^~ job: script, args$/m);
  assert.doesNotMatch(replaced, /^~ web/m);
  list = await tend.waitFor((l) => byName(l, 'job')[0]?.status === 'online' && byName(l, 'job')[0]?.pid !== firstJob, 'job restarted');
  assert.match(cmdline(byName(list, 'job')[0]?.pid ?? null), /log-signals\.js --x/, 'the new script runs');
  assert.deepEqual(byName(list, 'web').map((i) => i.restarts), [0, 0, 0]);

  const again = await tend.ok(['apply', file]);
  assert.equal(again, 'nothing to change\n');
});
