import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { IpcClient } from '../../../src/ipc/client.js';
import { PROTOCOL_VERSION } from '../../../src/ipc/protocol.js';
import { IpcServer } from '../../../src/ipc/server.js';

async function serve(t: { after: (fn: () => void) => void }, list: () => unknown): Promise<IpcClient> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-ipc-text-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = new IpcServer({
    handlers: new Map([
      ['list', list],
      ['ping', () => ({ pong: true })],
    ]),
    hello: () => ({ protocol: PROTOCOL_VERSION, version: 'test', pid: process.pid, home: dir }),
  });
  await server.listen(join(dir, 's.sock'));
  t.after(() => server.closeAll());
  const client = await IpcClient.connect(join(dir, 's.sock'));
  t.after(() => client.close());
  return client;
}

test('requestText: the result as the JSON text the daemon encoded, byte for byte', async (t) => {
  // Quotes, a closing brace and a newline inside strings; the frame itself stays one line.
  const rows = [{ id: 0, name: 'a"}b', note: 'line\nnext', nested: { deep: [1, null, 'é'] } }, { id: 1, name: 'x' }];
  const client = await serve(t, () => rows);
  // The reply is taken as text: nothing parses it (the saving this path is for).
  const parse = t.mock.method(JSON, 'parse');
  const [text, parsed] = await Promise.all([client.requestText('list'), client.request('ping')]);
  assert.equal(text, JSON.stringify(rows));
  assert.deepEqual(parsed, { pong: true }, 'replies to other requests on the connection are parsed as before');
  assert.equal(await client.requestText('list'), JSON.stringify(rows), 'and again on the same connection');
  const parsedRows = parse.mock.calls.filter((call) => String(call.arguments[0]).includes('line\\nnext'));
  assert.equal(parsedRows.length, 0, 'the list reply was never parsed');
  assert.ok(parse.mock.calls.length > 0, 'the other frames were');
});

test('requestText: an error reply rejects with the error, as request does', async (t) => {
  const client = await serve(t, () => {
    throw new TendError('APP_NOT_FOUND', 'no app named nope');
  });
  await assert.rejects(client.requestText('list'), { code: 'APP_NOT_FOUND', message: 'no app named nope' });
  assert.deepEqual(await client.request('ping'), { pong: true }, 'the connection goes on');
});
