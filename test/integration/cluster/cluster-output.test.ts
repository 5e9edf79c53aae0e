import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ClusterTestBed, RecordedEvents, collectText, makeSpec, waitFor } from './support.js';

const bed = new ClusterTestBed();
after(() => bed.cleanup());

const LINES = 20_000;

test('every numbered line arrives, including those written right before process.exit(1)', async () => {
  const spec = makeSpec('crash', 'cluster-crash.js');
  const events = new RecordedEvents();
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: { LINES: String(LINES) } }, events);
  bed.noteHost('crash');
  const out = collectText(worker.stdout);
  const err = collectText(worker.stderr);
  await events.waitExit();
  assert.deepEqual(events.exit, { code: 1, signal: null });
  // The worker's own pipes reach the daemon: what it wrote is read out of them after its exit.
  await waitFor(() => out.ended() && err.ended(), 5000, 'output end');
  const lines = out.text().split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, LINES);
  lines.forEach((line, index) => assert.equal(line, `line ${index + 1}`));
  assert.equal(err.text(), 'last words\n');
  await bed.driver.releaseApp('crash');
});
