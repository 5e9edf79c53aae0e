import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { ClusterTestBed, RecordedEvents, findFreePort, httpGet, isAlive, makeSpec, waitFor } from './support.js';

const FAKE_DAEMON = fileURLToPath(new URL('./fake-daemon.ts', import.meta.url));
const bed = new ClusterTestBed();
after(() => bed.cleanup());

test('when the host dies its workers are reported exited and gone; the next spawn starts a new host', async () => {
  const port = await findFreePort();
  const spec = makeSpec('orphan', 'http-hello.js', { instances: 2 });
  const events = [new RecordedEvents(), new RecordedEvents()];
  const workers = await Promise.all(
    events.map((recorded, index) => bed.driver.spawn({ spec, id: index, instance: index, env: { PORT: String(port) } }, recorded)),
  );
  const firstHost = bed.noteHost('orphan');
  assert.deepEqual(bed.driver.hostProcesses().map((p) => p.pid), [firstHost]);
  await Promise.all(events.map((e) => e.waitListening()));

  process.kill(firstHost, 'SIGKILL');
  await Promise.all(events.map((e) => e.waitExit()));
  for (const recorded of events) {
    assert.deepEqual(recorded.exit, { code: null, signal: 'SIGKILL' });
    assert.equal(recorded.exitCount, 1);
  }
  await waitFor(() => workers.every((w) => !isAlive(w.pid)), 5000, 'workers gone');
  assert.equal(bed.driver.hostPid('orphan'), null);

  const replacement = new RecordedEvents();
  const worker = await bed.driver.spawn({ spec, id: 2, instance: 0, env: { PORT: String(port) } }, replacement);
  const secondHost = bed.noteHost('orphan');
  assert.notEqual(secondHost, firstHost);
  await replacement.waitListening();
  assert.equal((await httpGet(port)).body, `hello ${worker.pid}`);
  worker.requestStop('SIGINT', false);
  await replacement.waitExit();
  await bed.driver.releaseApp('orphan');
  assert.equal(isAlive(secondHost), false);
});

test('when the daemon dies, its host and workers keep serving, and logging', async () => {
  const port = await findFreePort();
  // A stand-in daemon: a process that runs the driver, reports pids, then is killed -9. The
  // worker logs 64 KiB per request: 40 requests are several times what its pipe holds, so a
  // pipe left without a reader would block it, and a closed one would fail its writes.
  const daemon = spawn(process.execPath, ['--import', 'tsx', FAKE_DAEMON, String(port), String(64 * 1024)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: daemon.stdout }), 'line')) as [string];
  const { hostPid, workerPid } = JSON.parse(line) as { hostPid: number; workerPid: number };
  bed.noteHostPid(hostPid);
  daemon.kill('SIGKILL');
  await once(daemon, 'exit');
  // Output and exits now have nowhere to go; the host must not crash on that.
  for (let i = 0; i < 40; i += 1) assert.equal((await httpGet(port)).body, `hello ${workerPid}`);
  assert.equal(isAlive(workerPid), true);
  assert.equal(isAlive(hostPid), true);
});
