import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort, httpGet, instancesOf } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

function pidsById(list: Awaited<ReturnType<TendHarness['jlist']>>): Map<number, number | null> {
  return new Map(instancesOf(list, 'sc').map((i) => [i.id, i.pid]));
}

test('scale +1, to an absolute count and -1 adds and removes workers without touching the others', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'sc', '-i', '2', '-p', String(port)]);
  const initial = pidsById(await tend.waitForStatus('sc', 'online', 2));

  await tend.ok(['scale', 'sc', '+1']);
  const three = await tend.waitForStatus('sc', 'online', 3);
  for (const [id, pid] of initial) assert.equal(pidsById(three).get(id), pid);
  assert.deepEqual(instancesOf(three, 'sc').map((i) => i.instance), [0, 1, 2]);

  await tend.ok(['scale', 'sc', '4']);
  const four = await tend.waitForStatus('sc', 'online', 4);
  for (const [id, pid] of pidsById(three)) assert.equal(pidsById(four).get(id), pid);
  assert.deepEqual(instancesOf(four, 'sc').map((i) => i.instance), [0, 1, 2, 3]);

  await tend.ok(['scale', 'sc', '-1']);
  const back = await tend.waitFor((l) => instancesOf(l, 'sc').length === 3, '3 workers after scale -1');
  const highest = instancesOf(four, 'sc').at(-1);
  assert.ok(highest?.pid);
  assert.ok(!instancesOf(back, 'sc').some((i) => i.id === highest.id), 'the highest instance was removed');
  for (const instance of instancesOf(back, 'sc')) {
    assert.equal(instance.status, 'online');
    assert.equal(instance.pid, pidsById(four).get(instance.id));
    assert.equal(instance.restarts, 0);
  }
  assert.equal((await httpGet(port)).status, 200);
});
