import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-cap-');
after(() => tend.cleanup());

test('an app name of 300 characters, or with escape codes, is refused with a clear error', async () => {
  const long = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'n'.repeat(300)]);
  assert.equal(long.code, 2, 'a usage error');
  assert.match(long.stderr, /name is 300 characters long, over the limit of 100/);
  const escape = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'evil\x1b]0;owned\x07']);
  assert.equal(escape.code, 2);
  assert.match(escape.stderr, /name must not contain control characters/);
  assert.doesNotMatch(escape.stderr, /\x1b/, 'the escape code is not echoed to the terminal');
  assert.deepEqual(await tend.jlist(), []);
});

test('instances over the limit are refused before anything starts; the limit is set in config.json', async () => {
  const huge = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'huge', '-i', '100000', '-x']);
  assert.equal(huge.code, 2);
  assert.match(huge.stderr, /instances: 100000 instances would be over the limit of 4096 \(limits\.max_instances in TEND_HOME\/config\.json\)/);
  assert.deepEqual(await tend.jlist(), []);

  await tend.ok(['kill']);
  writeFileSync(join(tend.home, 'config.json'), JSON.stringify({ limits: { max_instances: 3 } }), { mode: 0o600 });
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'two', '-i', '2', '-x']);
  // The daemon checks too: it counts every instance it runs.
  const scaled = await tend.run(['scale', 'two', '4']);
  assert.equal(scaled.code, 1);
  assert.match(scaled.stderr, /4 instances would be over the limit of 3/);
  assert.equal((await tend.jlist()).length, 2);
  await tend.ok(['delete', 'two']);
});
