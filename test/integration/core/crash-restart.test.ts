import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('a crashed app is restarted with a new pid', async () => {
  await tend.ok(['start', join(FIXTURES, 'crash-after-start.js'), '--name', 'crashy']);
  const [first] = await tend.waitForStatus('crashy', 'online');
  assert.ok(first?.pid);
  const [second] = await tend.waitFor(
    (list) => list.some((i) => i.name === 'crashy' && i.status === 'online' && i.pid !== first.pid && i.restarts >= 1),
    'crashy restarted with a new pid',
  );
  assert.equal(second?.mode, 'fork');
  assert.equal(second?.namespace, 'default');
});
