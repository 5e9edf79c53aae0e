import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CLOCK_TICKS_PER_SECOND, findDescendants, readAllProcStats, readProcStat } from '../../../src/metrics/proc-stat.js';
import { HISTORY_BUDGET_SAMPLES, historyCapacity, Sampler, type Sample } from '../../../src/metrics/sampler.js';
import { killPids, startFixture, waitFor } from './fixture-process.js';

const started = new Set<number>();
after(() => {
  // Descendants first would race their re-parenting; kill every pid we ever learned about.
  killPids(started);
});

/** Samples every 250 ms until `count` samples for `id` arrived after the call. */
async function nextSamples(sampler: Sampler, id: number, count: number): Promise<Sample[]> {
  const seen: Sample[] = [];
  const stop = sampler.onSample((tick) => {
    const sample = tick.samples.get(id);
    if (sample) seen.push(sample);
  });
  try {
    return await waitFor(`${count} samples`, () => (seen.length >= count ? seen.slice(0, count) : undefined));
  } finally {
    stop();
  }
}

describe('Sampler with real processes', () => {
  /** Starts a fixture, samples it every 500 ms and returns the first `count` samples. */
  async function sampleFixture(name: string, count: number): Promise<Sample[]> {
    const app = startFixture(name);
    started.add(app.pid);
    await app.ready;
    const sampler = new Sampler({ intervalMs: 500 });
    sampler.track(1, app.pid);
    sampler.start();
    try {
      return await nextSamples(sampler, 1, count);
    } finally {
      sampler.stop();
      killPids([app.pid]);
    }
  }

  it('reads a busy loop as the CPU share it really got', async () => {
    // On a shared 2-core machine a busy loop gets anything from 30% to 100% of a core, so the
    // reading is checked against what /proc says the process used over the same window.
    const app = startFixture('busy-loop.js');
    started.add(app.pid);
    await app.ready;
    const sampler = new Sampler({ intervalMs: 500 });
    sampler.track(1, app.pid);
    try {
      sampler.sampleNow();
      const before = cpuTicks(app.pid);
      const startedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const sample = sampler.sampleNow().samples.get(1) as Sample;
      const actual = ((cpuTicks(app.pid) - before) / CLOCK_TICKS_PER_SECOND) * 100000 / (performance.now() - startedAt);
      assert.ok(actual > 10, `the busy loop got only ${actual}% of a core`);
      assert.ok(Math.abs(sample.cpuPercent - actual) < 15, `sampler read ${sample.cpuPercent}%, /proc says ${actual}%`);
      assert.ok(sample.cpuPercent < 130, `one thread cannot use ${sample.cpuPercent}% of a core`);
    } finally {
      killPids([app.pid]);
    }
  });

  function cpuTicks(pid: number): number {
    const stat = readProcStat(pid);
    return stat ? stat.utimeTicks + stat.stimeTicks : 0;
  }

  it('reads an idle process as near 0%', async () => {
    const samples = await sampleFixture('idle.js', 3);
    for (const sample of samples) assert.ok(sample.cpuPercent < 5, `idle at ${sample.cpuPercent}%`);
    assert.ok((samples[2] as Sample).memoryBytes > 10 * 1024 * 1024, 'a node process has > 10 MB resident');
  });

  it('counts a tree whose children appear after tracking, without a full rescan', async () => {
    const app = startFixture('spawn-children-tree.js', { ALLOC_MB: '50' });
    started.add(app.pid);
    // A huge full-scan period proves new descendants are found by the incremental path.
    const sampler = new Sampler({ intervalMs: 200, fullScanEveryTicks: 1_000_000 });
    sampler.track(7, app.pid);
    sampler.sampleNow();
    const line = await app.ready;
    const pids = line.split(' ').slice(1).map(Number);
    for (const pid of pids) started.add(pid);
    try {
      assert.equal(pids.length, 3);
      assert.deepEqual(
        findDescendants(readAllProcStats(), app.pid).map((s) => s.pid).sort(),
        pids.slice(1).sort(),
      );
      const treeBytes = await waitFor('tree sample', () => {
        const bytes = sampler.sampleNow().samples.get(7)?.memoryBytes ?? 0;
        return bytes >= 3 * 50 * 1024 * 1024 ? bytes : undefined;
      });
      assert.ok(treeBytes >= 150 * 1024 * 1024, `tree RSS ${treeBytes}`);
    } finally {
      killPids(pids);
    }
  });

  it('counts a tree that ran before it was tracked (skipped until then), without a full rescan', async () => {
    const app = startFixture('spawn-children-tree.js', { ALLOC_MB: '50' });
    started.add(app.pid);
    const pids = (await app.ready).split(' ').slice(1).map(Number);
    for (const pid of pids) started.add(pid);
    const other = startFixture('idle.js');
    started.add(other.pid);
    await other.ready;
    const sampler = new Sampler({ intervalMs: 200, fullScanEveryTicks: 1_000_000 });
    try {
      // Another tree is tracked: the app's whole tree is read once, found outside, then skipped.
      sampler.track(1, other.pid);
      sampler.sampleNow();
      sampler.sampleNow();
      assert.equal(sampler.sampleNow().samples.has(7), false);
      sampler.track(7, app.pid);
      const bytes = sampler.sampleNow().samples.get(7)?.memoryBytes ?? 0;
      assert.ok(bytes >= 3 * 50 * 1024 * 1024, `the tree's RSS with its children: ${bytes}`);
    } finally {
      killPids([...pids, other.pid]);
    }
  });

  it('gives no sample once the process is gone, and no negative CPU', async () => {
    const app = startFixture('idle.js');
    started.add(app.pid);
    await app.ready;
    const sampler = new Sampler({ intervalMs: 1000 });
    sampler.track(3, app.pid);
    assert.ok(sampler.sampleNow().samples.has(3));
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    killPids([app.pid]);
    await exited;
    const tick = sampler.sampleNow();
    assert.equal(tick.samples.has(3), false);
    assert.ok(sampler.history(3).every((s) => s.cpuPercent >= 0));
    assert.equal(sampler.latest(3)?.memoryBytes !== undefined, true, 'the last sample stays readable');
  });
});

describe('Sampler bookkeeping', () => {
  it('keeps a bounded history across untrack and track (a stop, a restart), and drops it when forgotten', () => {
    const sampler = new Sampler({ intervalMs: 1000, historyMs: 3000 });
    sampler.track(1, process.pid);
    sampler.track(2, process.pid);
    for (let i = 0; i < 5; i += 1) sampler.sampleNow();
    assert.equal(sampler.history(1).length, 3);
    sampler.track(1, process.pid);
    assert.equal(sampler.history(1).length, 3, 'tracking again (a restart) keeps history');
    sampler.untrack(1);
    assert.equal(sampler.latest(1), null);
    sampler.sampleNow();
    assert.equal(sampler.history(1).length, 3, 'a stopped instance keeps its history, and is not sampled');
    sampler.track(1, process.pid);
    sampler.sampleNow();
    assert.equal(sampler.history(1).length, 3, 'started again: the same history goes on');
    sampler.untrack(1);
    sampler.forgetAllBut(new Set([2]));
    assert.deepEqual(sampler.history(1), [], 'a deleted instance is forgotten');
    assert.equal(sampler.history(2).length, 3, 'the others are kept');
    sampler.forgetAllBut(new Set());
    assert.deepEqual(sampler.history(2), []);
  });

  it('shares a bounded sample budget among many histories: the newest samples of each, the full length again once there are fewer', () => {
    assert.equal(historyCapacity(600, 50), 600);
    assert.equal(historyCapacity(600, 250), 600);
    assert.equal(historyCapacity(600, 1000), HISTORY_BUDGET_SAMPLES / 1000);
    assert.equal(historyCapacity(600, 100_000), 60, 'never under a minute at one sample a second');
    const sampler = new Sampler({ intervalMs: 1000, historyMs: 600_000 });
    for (let id = 0; id < 10; id += 1) sampler.track(id, process.pid);
    for (let i = 0; i < 200; i += 1) sampler.sampleNow();
    assert.equal(sampler.history(0).length, 200);
    const newest = sampler.history(0).at(-1);
    // 990 more (stopped ones count too: their histories are kept).
    for (let id = 10; id < 1000; id += 1) {
      sampler.track(id, process.pid);
      sampler.untrack(id);
    }
    sampler.sampleNow();
    const share = HISTORY_BUDGET_SAMPLES / 1000;
    assert.equal(sampler.history(0).length, share);
    assert.deepEqual(sampler.history(0).at(-2), newest, 'the newest samples are the ones kept');
    sampler.forgetAllBut(new Set(Array.from({ length: 10 }, (_, id) => id)));
    for (let i = 0; i < 100; i += 1) sampler.sampleNow();
    assert.equal(sampler.history(0).length, share + 100, 'with 10 left, the history grows again');
  });

  it('samples the host', () => {
    const sampler = new Sampler();
    sampler.sampleNow();
    const host = sampler.sampleNow().host;
    assert.ok(host);
    assert.ok(host.cpuPercent >= 0 && host.cpuPercent <= 100);
    assert.ok(host.memoryTotalBytes > host.memoryAvailableBytes && host.memoryAvailableBytes > 0);
  });

  it('ignores a recycled pid whose start time differs', () => {
    const sampler = new Sampler();
    sampler.track(1, process.pid, 1);
    assert.equal(sampler.sampleNow().samples.has(1), false);
  });

  it('runs every listener even if one throws, then rethrows', () => {
    const sampler = new Sampler();
    let called = false;
    sampler.onSample(() => {
      throw new Error('boom');
    });
    sampler.onSample(() => {
      called = true;
    });
    assert.throws(() => sampler.sampleNow(), /boom/);
    assert.equal(called, true);
  });
});
