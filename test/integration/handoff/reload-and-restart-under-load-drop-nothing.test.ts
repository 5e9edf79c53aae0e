import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort, freshConnectionsEvery10Ms, waitServing } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-handoff-');
});
after(() => tend.cleanup());

const APPS = [
  { label: 'a Python http.server', script: 'http-inherited-fd.py' },
  { label: 'a Node app in fork mode', script: 'http-inherited-fd.js' },
];

for (const { label, script } of APPS) {
  test(`${label} on the inherited socket, 2 instances, reloaded and restarted 3 times under load: 0 failed requests`, async () => {
    const port = await findFreePort();
    const name = script.replace(/\W/g, '-');
    // A kill_timeout well above a drain on a loaded machine: a SIGKILL past the default 1.6 s
    // would reset the connection in hand, and that is the stop ladder working, not a handoff gap.
    await tend.ok(['start', join(FIXTURES, script), '--name', name, '-i', '2', '-x', '--listen', `127.0.0.1:${port}`, '--kill-timeout', '15s']);
    await tend.waitForStatus(name, 'online', 2);
    await waitServing(port);
    const load = freshConnectionsEvery10Ms(port);
    const pidsBefore = (await tend.jlist()).filter((i) => i.name === name).map((i) => i.pid);
    for (let round = 0; round < 3; round += 1) {
      await tend.ok(['reload', name]);
      await tend.ok(['restart', name]);
      await tend.waitForStatus(name, 'online', 2);
    }
    const { requests, failures, pids } = await load.stop();
    assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed`);
    assert.ok(requests > 50, `only ${requests} requests were made`);
    const pidsAfter = (await tend.jlist()).filter((i) => i.name === name).map((i) => i.pid);
    assert.ok(pidsAfter.every((pid) => !pidsBefore.includes(pid)), 'every instance was replaced');
    assert.ok(pids.size > 2, `answers came from ${pids.size} processes across the restarts`);

    // The socket is tend's: it closes with the app, not before.
    await tend.ok(['delete', name]);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });
}
