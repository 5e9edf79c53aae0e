import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WatchTrigger } from '../../../src/daemon/triggers/watch-trigger.js';
import { waitFor } from '../metrics/fixture-process.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-watch-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), '');
  writeFileSync(join(dir, 'index.js'), '');
  writeFileSync(join(dir, '.env'), '');
  return dir;
}

const DELAY_MS = 300;

describe('WatchTrigger', () => {
  it('turns a burst of 20 writes into exactly one callback after the quiet period', async () => {
    const dir = project();
    const trigger = new WatchTrigger({ paths: [dir], watchDelayMs: DELAY_MS });
    const calls: { paths: string[]; at: number }[] = [];
    trigger.onChange((paths) => calls.push({ paths, at: performance.now() }));
    try {
      await trigger.ready();
      let lastWrite = 0;
      for (let i = 0; i < 20; i += 1) {
        writeFileSync(join(dir, `file-${i % 4}.js`), `// ${i}\n`);
        lastWrite = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await waitFor('one callback', () => (calls.length > 0 ? true : undefined), 10_000);
      // Stay a few quiet periods longer to see that no second callback follows.
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 3));
      assert.equal(calls.length, 1);
      const call = calls[0] as { paths: string[]; at: number };
      // chokidar drops a file's 'change' events within 50 ms of the previous one, so the
      // quiet period may start up to 50 ms before the very last write.
      assert.ok(call.at - lastWrite >= DELAY_MS - 60, `fired ${call.at - lastWrite} ms after the last write`);
      assert.deepEqual([...new Set(call.paths.map((p) => p.slice(dir.length + 1)))].sort(), ['file-0.js', 'file-1.js', 'file-2.js', 'file-3.js']);
    } finally {
      await trigger.close();
    }
  });

  it('gives no callback for changes in node_modules or dotfiles, even with a custom ignore list', async () => {
    const dir = project();
    const trigger = new WatchTrigger({ paths: [dir], watchDelayMs: 100, ignore: ['*.log', '.*'] });
    const calls: string[][] = [];
    trigger.onChange((paths) => calls.push(paths));
    try {
      await trigger.ready();
      const watched = trigger.watchedPaths();
      assert.ok(!watched.some((p) => p.includes('node_modules')), `watching ${watched.join(', ')}`);
      writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), 'changed');
      writeFileSync(join(dir, '.env'), 'A=1');
      writeFileSync(join(dir, 'out.log'), 'line');
      mkdirSync(join(dir, '.cache'));
      writeFileSync(join(dir, '.cache', 'x.js'), 'x');
      // A change that is watched, as a marker: once it arrives, the ignored ones had their chance.
      await new Promise((resolve) => setTimeout(resolve, 300));
      writeFileSync(join(dir, 'index.js'), 'changed');
      await waitFor('the marker change', () => (calls.length > 0 ? true : undefined), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(calls, [[join(dir, 'index.js')]]);
    } finally {
      await trigger.close();
    }
  });
});
