import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, delay } from '../../helpers/tend-harness.js';
import { findFreePort, httpGet, instancesOf, waitServing } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

for (const [file, greeting] of [['http-hello.mjs', 'hello esm'], ['http-hello.ts', 'hello ts']] as const) {
  test(`${file} runs in cluster mode with -i 2 and both workers serve`, async () => {
    const port = await findFreePort();
    const name = file.replace(/\W/g, '-');
    await tend.ok(['start', join(FIXTURES, file), '--name', name, '-i', '2', '-p', String(port)]);
    const list = instancesOf(await tend.waitForStatus(name, 'online', 2, 30_000), name);
    assert.deepEqual(list.map((i) => i.mode), ['cluster', 'cluster']);
    const workerPids = new Set(list.map((i) => i.pid));
    await waitServing(port);
    const answeredBy = new Set<number>();
    // Online comes at the fork in cluster mode; a worker gets connections once it listens, and a
    // TypeScript worker boots slower than the first to answer. Connections are handed out round
    // robin among the listening workers, so fresh ones reach both once both listen.
    const deadline = performance.now() + 20_000;
    while (answeredBy.size < 2 && performance.now() < deadline) {
      const answer = await httpGet(port);
      assert.equal(answer.status, 200);
      assert.ok(answer.body.startsWith(`${greeting} `), answer.body);
      answeredBy.add(Number(answer.body.slice(greeting.length + 1)));
      if (answeredBy.size < 2) await delay(50);
    }
    assert.deepEqual(answeredBy, workerPids);
    await tend.ok(['delete', name]);
  });
}
