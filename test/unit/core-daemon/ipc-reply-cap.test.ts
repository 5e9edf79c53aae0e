import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IpcClient } from '../../../src/ipc/client.js';
import { PROTOCOL_VERSION } from '../../../src/ipc/protocol.js';
import { IpcServer } from '../../../src/ipc/server.js';

test('a reply over the frame cap reaches the client as REPLY_TOO_LARGE, and the connection goes on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-ipc-cap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = new IpcServer({
    handlers: new Map([
      ['huge', () => 'x'.repeat(9 * 1024 * 1024)],
      ['small', () => 'ok'],
    ]),
    hello: () => ({ protocol: PROTOCOL_VERSION, version: 'test', pid: process.pid, home: dir }),
  });
  await server.listen(join(dir, 's.sock'));
  t.after(() => server.closeAll());
  const client = await IpcClient.connect(join(dir, 's.sock'));
  t.after(() => client.close());
  await assert.rejects(client.send('huge'), { code: 'REPLY_TOO_LARGE', message: /the reply is 9\.0 MiB, over the 8 MiB frame cap/ });
  assert.equal(await client.send('small'), 'ok');
});
