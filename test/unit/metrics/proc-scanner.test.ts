import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProcScanner } from '../../../src/metrics/proc-scanner.js';

test('ProcScanner.begin: a pass read a slice at a time sees what a whole scan sees, and skips the same outsiders', () => {
  const sliced = new ProcScanner('/proc', 1_000_000);
  const whole = new ProcScanner('/proc', 1_000_000);
  const pass = sliced.begin();
  let slices = 1;
  while (!pass.step(1)) slices += 1;
  assert.ok(slices > 1, 'more than one slice for more than one process');
  assert.equal(pass.step(1), true, 'a finished pass stays finished');
  const everything = whole.scan();
  assert.ok(pass.stats.some((s) => s.pid === process.pid), 'this process is read');
  const seenByBoth = pass.stats.filter((s) => everything.some((e) => e.pid === s.pid)).length;
  // Processes of the machine may come and go between the two scans; nearly all are in both.
  assert.ok(seenByBoth >= Math.min(pass.stats.length, everything.length) - 5, `${seenByBoth} of ${pass.stats.length} / ${everything.length}`);

  // Nothing is tracked: everything read is an outsider, and the next pass skips it.
  sliced.settle(pass.stats, new Set());
  const next = sliced.begin();
  while (!next.step(1));
  assert.ok(next.stats.length < pass.stats.length / 2, `the next pass reads only new pids (${next.stats.length} of ${pass.stats.length})`);
});
