import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { ClusterTestBed, RecordedEvents, collectText, findFreePort, makeSpec, waitFor } from './support.js';

const bed = new ClusterTestBed();
after(() => bed.cleanup());

interface SlowResult {
  status: number;
  body: string;
  connection: string | undefined;
}

function getSlow(port: number): Promise<SlowResult> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/slow', agent: new http.Agent({ keepAlive: true }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    request.on('error', reject);
  });
}

test('stop lets an in-flight slow request finish; the worker exits on its own', async () => {
  const port = await findFreePort();
  const events = new RecordedEvents();
  const spec = makeSpec('slow', 'http-slow.js');
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: { PORT: String(port) } }, events);
  bed.noteHost('slow');
  await events.waitListening();
  const startedAt = Date.now();
  const pending = getSlow(port);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the request reach the worker
  worker.requestStop('SIGINT', false);
  const result = await pending;
  assert.deepEqual(result, { status: 200, body: `slow ${worker.pid}`, connection: 'close' });
  await events.waitExit(5000);
  // Exited by itself (code 0), not by a signal, within the default kill_timeout of the stop.
  assert.deepEqual(events.exit, { code: 0, signal: null });
  assert.ok(Date.now() - startedAt < 200 + 1600 + 500, 'exited soon after its last response');
  await bed.driver.releaseApp('slow');
});

test('an app that closes its server on SIGINT gets the signal and exits 0', async () => {
  const port = await findFreePort();
  const events = new RecordedEvents();
  const spec = makeSpec('sigint', 'http-drain-sigint.js');
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: { PORT: String(port) } }, events);
  bed.noteHost('sigint');
  const out = collectText(worker.stdout);
  await events.waitListening();
  worker.requestStop('SIGINT', false);
  await events.waitExit(5000);
  assert.deepEqual(events.exit, { code: 0, signal: null });
  await waitFor(out.ended, 2000, 'stdout end');
  assert.equal(out.text(), 'SIGINT received\n');
  await bed.driver.releaseApp('sigint');
});

test('withMessage delivers the shutdown message instead of a signal', async () => {
  const port = await findFreePort();
  const events = new RecordedEvents();
  const spec = makeSpec('message', 'message-shutdown.js');
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: { PORT: String(port) } }, events);
  bed.noteHost('message');
  const out = collectText(worker.stdout);
  await events.waitListening();
  worker.requestStop('SIGINT', true);
  await events.waitExit(5000);
  assert.deepEqual(events.exit, { code: 0, signal: null });
  await waitFor(out.ended, 2000, 'stdout end');
  assert.equal(out.text(), 'shutdown message received\n');
  await bed.driver.releaseApp('message');
});

test("process.send('ready') is readiness; other messages pass both ways", async () => {
  const events = new RecordedEvents();
  const spec = makeSpec('ready', 'send-ready.js');
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: {} }, events);
  bed.noteHost('ready');
  await waitFor(() => events.ready.includes('ready'), 5000, 'ready');
  assert.equal(worker.send({ hello: 1 }), true);
  await waitFor(() => events.messages.length > 0, 5000, 'echo');
  assert.deepEqual(events.messages, [{ echo: { hello: 1 } }]);
  worker.sendSignal('SIGKILL');
  await events.waitExit();
  assert.equal(worker.send('late'), false);
  await bed.driver.releaseApp('ready');
});

test('a worker that never listens never reports listening', async () => {
  const events = new RecordedEvents();
  const spec = makeSpec('never', 'never-ready.js');
  const worker = await bed.driver.spawn({ spec, id: 0, instance: 0, env: {} }, events);
  bed.noteHost('never');
  const out = collectText(worker.stdout);
  await waitFor(() => out.text().includes('started'), 5000, 'start-up line');
  // "Never" needs a window: well past the time a hello server takes to listen.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.deepEqual(events.ready, []);
  worker.sendSignal('SIGKILL');
  await events.waitExit();
  assert.deepEqual(events.exit, { code: null, signal: 'SIGKILL' });
  await bed.driver.releaseApp('never');
});
