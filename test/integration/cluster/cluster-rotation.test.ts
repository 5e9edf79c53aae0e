import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SpawnedInstance } from '../../../src/core/driver.js';
import { ClusterTestBed, RecordedEvents, findFreePort, makeSpec } from './support.js';
import { startLoad } from './load-loop.js';

const bed = new ClusterTestBed();
after(() => bed.cleanup());

const ROTATIONS = 5;

interface Slot {
  worker: SpawnedInstance;
  events: RecordedEvents;
}

test('rotations under keep-alive load give zero failed requests and zero socket errors', async (t) => {
  const port = await findFreePort();
  // An app that handles no signals: the drain preload alone must keep every request whole.
  const spec = makeSpec('rotate', 'http-hello.js', { instances: 2 });
  const env = (instance: number): Record<string, string> => ({ PORT: String(port), NODE_APP_INSTANCE: String(instance) });
  const start = async (instance: number): Promise<Slot> => {
    const events = new RecordedEvents();
    const worker = await bed.driver.spawn({ spec, id: instance, instance, env: env(instance) }, events);
    bed.noteHost('rotate');
    await events.waitListening();
    return { worker, events };
  };
  const slots = [await start(0), await start(1)];
  const load = startLoad(port, { keepAliveLoops: 16, newConnectionLoops: 2, maxRequests: 2_000_000 });
  await new Promise((resolve) => setTimeout(resolve, 300)); // load reaches steady state

  for (let rotation = 0; rotation < ROTATIONS; rotation += 1) {
    const instance = rotation % 2;
    const old = slots[instance];
    assert.ok(old);
    const replacement = await start(instance); // start → wait listening
    old.worker.requestStop('SIGINT', false); // → stop old (drain)
    await old.events.waitExit(5000);
    // Exited on its own after draining: never needed the daemon's SIGKILL.
    assert.deepEqual(old.events.exit, { code: 0, signal: null }, `rotation ${rotation}`);
    slots[instance] = replacement;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const result = await load.stop();
  t.diagnostic(`requests=${result.requests} failed=${result.failedRequests} socketErrors=${result.socketErrors}`);
  assert.ok(result.requests > 1000, 'the load ran');
  assert.deepEqual(result.errorMessages, []);
  assert.equal(result.failedRequests, 0);
  assert.equal(result.socketErrors, 0);
  for (const slot of slots) slot.worker.requestStop('SIGINT', false);
  await Promise.all(slots.map((slot) => slot.events.waitExit(5000)));
  await bed.driver.releaseApp('rotate');
});
