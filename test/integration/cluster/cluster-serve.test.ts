import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SpawnedInstance } from '../../../src/core/driver.js';
import { ClusterTestBed, RecordedEvents, findFreePort, httpGet, makeSpec } from './support.js';

const bed = new ClusterTestBed();
after(() => bed.cleanup());

test('two workers serve on one port; kill -9 of one leaves the other serving', async () => {
  const port = await findFreePort();
  const spec = makeSpec('hello', 'http-hello.js', { instances: 2 });
  const events = [new RecordedEvents(), new RecordedEvents()];
  const workers: SpawnedInstance[] = [];
  for (const [index, recorded] of events.entries()) {
    const env = { PORT: String(port), NODE_APP_INSTANCE: String(index), ONLY_THIS: 'yes' };
    workers.push(await bed.driver.spawn({ spec, id: index, instance: index, env }, recorded));
  }
  bed.noteHost('hello');
  await Promise.all(events.map((e) => e.waitListening()));
  const [first, second] = workers;
  assert.ok(first && second && first.pid !== second.pid);
  assert.ok(first.startTimeTicks > 0);

  const seen = new Set<string>();
  for (let i = 0; i < 20; i += 1) seen.add((await httpGet(port)).body);
  assert.deepEqual([...seen].sort(), [`hello ${first.pid}`, `hello ${second.pid}`].sort());

  // The worker's environment is exactly what was sent (Node removes NODE_UNIQUE_ID itself).
  let env: Record<string, string> = {};
  for (let i = 0; i < 10 && env.NODE_APP_INSTANCE !== '1'; i += 1) {
    env = JSON.parse((await httpGet(port, '/env')).body) as Record<string, string>;
  }
  assert.deepEqual(Object.keys(env).sort(), ['NODE_APP_INSTANCE', 'ONLY_THIS', 'PORT']);

  process.kill(first.pid, 'SIGKILL');
  await events[0]?.waitExit();
  assert.deepEqual(events[0]?.exit, { code: null, signal: 'SIGKILL' });
  for (let i = 0; i < 10; i += 1) assert.equal((await httpGet(port)).body, `hello ${second.pid}`);
  assert.equal(events[1]?.exit, null);

  second.requestStop('SIGINT', false);
  await events[1]?.waitExit();
  assert.deepEqual(events[1]?.exit, { code: 0, signal: null });
  await bed.driver.releaseApp('hello');
  assert.equal(bed.driver.hostPid('hello'), null);
});

test('a missing script rejects with SCRIPT_NOT_FOUND', async () => {
  const spec = makeSpec('missing', 'does-not-exist.js');
  await assert.rejects(bed.driver.spawn({ spec, id: 9, instance: 0, env: {} }, new RecordedEvents()), {
    code: 'SCRIPT_NOT_FOUND',
  });
});
