import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendHarness, killQuietly } from '../../helpers/tend-harness.js';
import { waitNewDaemon } from './adoption-support.js';

// `start` replies once its apps have left their start gates: a daemon SIGKILLed right after
// the reply leaves every app running, adopted by the next daemon. Here the release pacer holds
// the last apps back while the first ones spin through their boot, so a reply sent at the
// spawn would come while they still wait for a go line the dead daemon never sends.

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('apps the pacer held back are running when start replies, and survive a daemon SIGKILL right after it', async () => {
  const count = availableParallelism() + 2;
  const app = join(tend.home, 'spin-boot.js');
  writeFileSync(app, 'const until = Date.now() + 800;\nwhile (Date.now() < until) {}\nsetInterval(() => {}, 1000);\n');
  const apps = Array.from({ length: count }, (_, n) => ({ name: `spin${n}`, script: app, autorestart: false }));
  const config = join(tend.home, 'spin.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps })};\n`);
  await tend.ok(['ping']);
  const daemon = tend.daemonPid();
  assert.ok(daemon);
  await tend.ok(['start', config]);
  killQuietly(daemon);
  await tend.jlist().catch(() => undefined);
  await waitNewDaemon(tend, daemon);
  const list = await tend.waitFor((l) => l.length === count && l.every((i) => i.status === 'online'), `${count} apps online again`, 30_000);
  for (const instance of list) {
    assert.notEqual(instance.adopted_at, null, `${instance.name} runs on in the process the first daemon started`);
    assert.equal(instance.restarts, 0, `${instance.name} was not restarted`);
  }
});
