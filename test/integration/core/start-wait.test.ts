import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('start --wait returns once every instance is online: jlist right after shows them online', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'waited', '-i', '2', '-x', '--min-uptime', '300ms', '--wait']);
  const list = (await tend.jlist()).filter((i) => i.name === 'waited');
  assert.deepEqual(list.map((i) => i.status), ['online', 'online']);
});

test('start --wait of a crash loop exits 1 with the instance and its reason once it is errored', async () => {
  const result = await tend.run(['start', join(FIXTURES, 'crash-on-start.js'), '--name', 'looping', '--max-restarts', '1', '--wait']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^tend: looping \(id \d+\): .+$/m);
  assert.equal((await tend.jlist()).find((i) => i.name === 'looping')?.status, 'errored');
  assert.match(result.stdout, /looping/, 'the table is printed before the error');
});

test('start --wait of an app whose readiness times out exits 1 naming listen_timeout', async () => {
  const result = await tend.run(['start', join(FIXTURES, 'never-ready.js'), '--name', 'unready', '--wait-ready', '--listen-timeout', '500ms', '--wait']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /unready \(id \d+\): .*listen_timeout \(500 ms\)/);
});

test('start --wait of an app whose dependency ended errored exits 1 with the reason instead of waiting for ever', async () => {
  const file = join(tend.home, 'deps.json');
  writeFileSync(
    file,
    JSON.stringify({
      apps: [
        { name: 'broken-db', script: join(FIXTURES, 'crash-on-start.js'), max_restarts: 1 },
        { name: 'api', script: join(FIXTURES, 'idle.js'), depends_on: ['broken-db'] },
      ],
    }),
  );
  const result = await tend.run(['start', file, '--wait'], { timeoutMs: 60_000 });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /broken-db|waiting for broken-db \(errored\)/);
  const api = (await tend.jlist()).find((i) => i.name === 'api');
  assert.equal(api?.status, 'waiting');
  assert.equal(api?.pid, null, 'api never ran');
  // Asked again once broken-db is errored: the wait fails on api itself, naming what holds it back.
  const again = await tend.run(['start', 'api', '--wait']);
  assert.equal(again.code, 1, again.stderr);
  assert.match(again.stderr, /api \(id \d+\): waiting for broken-db \(errored\)/);
});
