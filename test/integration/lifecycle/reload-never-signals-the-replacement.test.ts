import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive } from '../../helpers/tend-harness.js';
import { findFreePort, instancesOf, useTendWithAppDir } from '../cluster-e2e/support.js';

// A reload of an app on a socket tend holds starts the replacement before it stops the old
// process, under the same id. The stop's sweep for escaped children of the old run must not
// take the replacement for one: it carries the same TEND_APP_NAME, TEND_ID and TEND_HOME. It
// did, once the old process had exited: the replacement got the stop signal too, and every
// reload turned into a crash restart (or a SIGKILL past kill_timeout).
const { tend, dir } = useTendWithAppDir();

test('a reload signals only the processes it replaces, never their replacements', async () => {
  const signalled = join(dir.path, 'signalled');
  const app = dir.write(
    'drain.cjs',
    `const net = require('node:net');
const fs = require('node:fs');
const server = net.createServer((socket) => socket.end('pid ' + process.pid + '\\n'));
server.listen({ fd: 3 });
process.on('SIGINT', () => {
  fs.appendFileSync(${JSON.stringify(signalled)}, process.pid + '\\n');
  server.close(() => process.exit(0));
});
`,
  );
  const port = await findFreePort();
  await tend.ok(['start', app, '--name', 'drain', '-i', '2', '-x', '--listen', `127.0.0.1:${port}`, '--min-uptime', '300ms']);
  let current = instancesOf(await tend.waitForStatus('drain', 'online', 2), 'drain').map((i) => i.pid as number);
  const replaced: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    await tend.ok(['reload', 'drain']);
    const list = await tend.waitFor(
      (l) => {
        const mine = instancesOf(l, 'drain');
        return mine.length === 2 && mine.every((i) => i.status === 'online' && !current.includes(i.pid as number));
      },
      'both instances replaced',
    );
    replaced.push(...current);
    current = instancesOf(list, 'drain').map((i) => i.pid as number);
  }
  // The last replacements stay up: nothing is on its way to stop them.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = instancesOf(await tend.jlist(), 'drain');
  assert.deepEqual(after.map((i) => i.pid).sort(), [...current].sort(), 'the replacements still run');
  assert.ok(current.every(isAlive));
  assert.deepEqual(after.map((i) => i.restarts), [3, 3], 'three reloads, no crash restart');
  const got = readFileSync(signalled, 'utf8').trim().split('\n').map(Number);
  assert.deepEqual([...got].sort(), [...replaced].sort(), 'SIGINT went to each replaced process once, and to no other');
});
