import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { IpcClient } from '../../../src/ipc/client.js';
import { EncodedJson } from '../../../src/ipc/encoded-json.js';
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

async function streamed(client: IpcClient, method: 'list'): Promise<{ text: string; pieces: number }> {
  const pieces: Buffer[] = [];
  await client.requestStream(method, (bytes) => pieces.push(Buffer.from(bytes)));
  return { text: Buffer.concat(pieces).toString('utf8'), pieces: pieces.length };
}

test('requestStream: the result as the JSON text the daemon encoded, byte for byte', async (t) => {
  // Quotes, a closing brace and a newline inside strings; the frame itself stays one line.
  const rows = [{ id: 0, name: 'a"}b', note: 'line\nnext', nested: { deep: [1, null, 'é'] } }, { id: 1, name: 'x' }];
  const client = await serve(t, () => rows);
  // The reply is taken as bytes: nothing parses it (the saving this path is for).
  const parse = t.mock.method(JSON, 'parse');
  const [first, parsed] = await Promise.all([streamed(client, 'list'), client.request('ping')]);
  assert.equal(first.text, JSON.stringify(rows));
  assert.deepEqual(parsed, { pong: true }, 'replies to other requests on the connection are parsed as before');
  assert.equal((await streamed(client, 'list')).text, JSON.stringify(rows), 'and again on the same connection');
  const parsedRows = parse.mock.calls.filter((call) => String(call.arguments[0]).includes('line\\nnext'));
  assert.equal(parsedRows.length, 0, 'the list reply was never parsed');
  assert.ok(parse.mock.calls.length > 0, 'the other frames were');
});

test('requestStream: a reply of megabytes arrives in pieces, whole and in order, and the connection goes on', async (t) => {
  const rows = Array.from({ length: 4000 }, (_, k) => ({ id: k, name: `app-${k}`, note: 'é'.repeat(k % 97), pad: 'x'.repeat(400) }));
  const client = await serve(t, () => rows);
  const { text, pieces } = await streamed(client, 'list');
  assert.ok(text.length > 1_000_000, `a reply of ${text.length} characters`);
  assert.ok(pieces > 2, `handed on in ${pieces} pieces, not gathered first`);
  assert.equal(text, JSON.stringify(rows));
  assert.deepEqual(await client.request('ping'), { pong: true });
});

test('requestStream: an error reply rejects with the error, as request does, and writes nothing', async (t) => {
  const client = await serve(t, () => {
    throw new TendError('APP_NOT_FOUND', 'no app named nope');
  });
  const pieces: Buffer[] = [];
  await assert.rejects(
    client.requestStream('list', (bytes) => pieces.push(bytes)),
    { code: 'APP_NOT_FOUND', message: 'no app named nope' },
  );
  assert.equal(pieces.length, 0);
  assert.deepEqual(await client.request('ping'), { pong: true }, 'the connection goes on');
});

test('a reply the handler encoded itself (EncodedJson) goes out as it is: parsed by request, byte for byte by requestStream', async (t) => {
  // Spaces and key order a fresh JSON.stringify would not keep: the text is not encoded again.
  const text = '[ {"b":1, "a":"é}"} ]';
  const client = await serve(t, () => new EncodedJson(text));
  assert.deepEqual(await client.request('list'), [{ b: 1, a: 'é}' }]);
  assert.equal((await streamed(client, 'list')).text, text);
});

test('an EncodedJson reply in a buffer: sent as it is, and handed back once sent, also to a client that is gone', async (t) => {
  const json = Buffer.from(JSON.stringify(Array.from({ length: 3000 }, (_, k) => ({ k, pad: 'é'.repeat(200) }))));
  let handedBack = 0;
  const client = await serve(t, () => new EncodedJson(json, () => (handedBack += 1)));
  const { text } = await streamed(client, 'list');
  assert.equal(text, json.toString('utf8'));
  assert.equal(handedBack, 1);
  // A client that asks and leaves at once: the buffer still comes back.
  const gone = await IpcClient.connect(client.hello!.home + '/s.sock');
  void gone.request('list').catch(() => {});
  gone.close();
  for (let waited = 0; handedBack < 2 && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  assert.equal(handedBack, 2);
});
