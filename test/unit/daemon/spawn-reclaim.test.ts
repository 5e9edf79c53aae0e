import assert from 'node:assert/strict';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createSpawnReclaim } from '../../../src/daemon/minor-gc.js';

/** Counts the major collections this process runs while `during` does. */
async function majorCollections(during: () => Promise<void>): Promise<number> {
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) count += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await during();
    // Entries are delivered asynchronously.
    await delay(50);
  } finally {
    observer.disconnect();
  }
  return count;
}

test('createSpawnReclaim: a major collection every `every` spawns, none in between', async () => {
  const reclaim = createSpawnReclaim(3);
  const between = await majorCollections(async () => {
    reclaim();
    reclaim();
    await delay(200);
  });
  assert.equal(between, 0, 'two spawns: none yet');
  const third = await majorCollections(async () => {
    reclaim();
    // An async collection marks incrementally and finishes on later turns of the event loop.
    for (let n = 0; n < 40; n += 1) await delay(10);
  });
  assert.ok(third >= 1, `the third spawn starts one (${third} seen)`);
});
