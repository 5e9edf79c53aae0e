import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-handoff-');
});
after(() => tend.cleanup());

test('a listen address already in use is a clear error and registers nothing, not even the other sockets of the app', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => taken.once('listening', resolve));
  const port = (taken.address() as { port: number }).port;
  const free = await findFreePort();
  try {
    const result = await tend.run(['start', join(FIXTURES, 'http-inherited-fd.js'), '--name', 'web', '--listen', `127.0.0.1:${free},127.0.0.1:${port}`]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`app web: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use \\(EADDRINUSE\\)`));
    assert.deepEqual(await tend.jlist(), []);
    // The socket bound before the failing one was closed again.
    const again = createServer().listen(free, '127.0.0.1');
    await new Promise((resolve, reject) => again.once('listening', resolve).once('error', reject));
    again.close();
  } finally {
    taken.close();
  }
});

test('a unix socket path is handed over too, and a file that is not a socket is never removed', async () => {
  const path = join(tend.home, 'app.sock');
  await tend.ok(['start', join(FIXTURES, 'http-inherited-fd.js'), '--name', 'unixweb', '--listen', `unix:${path}`]);
  await tend.waitForStatus('unixweb', 'online');
  const body = await new Promise<string>((resolve, reject) => {
    import('node:http').then(({ get }) => get({ socketPath: path, path: '/' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    }).on('error', reject), reject);
  });
  assert.match(body, /^pid \d+/);
  const notSocket = join(tend.home, 'plain-file');
  await import('node:fs').then(({ writeFileSync }) => writeFileSync(notSocket, 'keep me'));
  const result = await tend.run(['start', join(FIXTURES, 'http-inherited-fd.js'), '--name', 'clash', '--listen', `unix:${notSocket}`]);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /the path exists and is not a socket/);
});
