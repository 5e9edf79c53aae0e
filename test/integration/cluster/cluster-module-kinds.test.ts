import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ClusterTestBed, RecordedEvents, findFreePort, httpGet, makeSpec } from './support.js';

const bed = new ClusterTestBed();
after(() => bed.cleanup());

const TSX_LOADER = import.meta.resolve('tsx');

const cases = [
  { script: 'http-hello.cjs', interpreterArgs: [], greeting: 'hello' },
  { script: 'http-hello.js', interpreterArgs: [], greeting: 'hello' },
  { script: 'http-hello.mjs', interpreterArgs: [], greeting: 'hello esm' },
  { script: 'http-hello.ts', interpreterArgs: ['--import', TSX_LOADER], greeting: 'hello ts' },
];

for (const { script, interpreterArgs, greeting } of cases) {
  test(`a ${script} app serves in cluster mode`, async () => {
    const port = await findFreePort();
    const name = `kinds-${script}`;
    const spec = makeSpec(name, script, { interpreterArgs });
    const events = new RecordedEvents();
    const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: { PORT: String(port) } }, events);
    bed.noteHost(name);
    await events.waitListening(15_000);
    assert.deepEqual(await httpGet(port), { status: 200, body: `${greeting} ${worker.pid}` });
    worker.requestStop('SIGINT', false);
    await events.waitExit();
    assert.deepEqual(events.exit, { code: 0, signal: null });
    await bed.driver.releaseApp(name);
  });
}
