import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-api-');
});
after(() => tend.cleanup());

interface Reply {
  id: number | null;
  ok: boolean;
  error?: { code: string; message: string };
}

/** Sends request lines on a raw socket and collects one reply per line, by id. */
async function exchange(socketPath: string, requests: Array<{ id: number; method: string; params?: unknown }>): Promise<Map<number, Reply>> {
  const socket = connect(socketPath);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies = new Map<number, Reply>();
  let buffered = '';
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replies so far: ${JSON.stringify([...replies])}`)), 15_000);
    socket.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString('utf8')).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const reply = JSON.parse(line) as Reply;
        if (reply.id !== null) replies.set(reply.id, reply);
      }
      if (replies.size === requests.length + 1) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  socket.write(`${JSON.stringify({ id: 0, method: 'hello', params: { protocol: 1, client: 'raw' } })}\n`);
  for (const request of requests) socket.write(`${JSON.stringify(request)}\n`);
  await done;
  socket.destroy();
  return replies;
}

test('malformed params on the socket get an error naming the method and the field; the daemon keeps its app', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'keeper']);
  const [before] = await tend.waitForStatus('keeper', 'online');
  const replies = await exchange(join(tend.home, 'tend.sock'), [
    { id: 1, method: 'stop', params: { targets: 'keeper' } },
    { id: 2, method: 'start', params: { apps: [{ spec: { name: 'x' }, baseEnv: {} }] } },
    { id: 3, method: 'restart', params: { targets: ['keeper'], baseEnv: { PATH: 7 } } },
    { id: 4, method: 'logsTail', params: { targets: ['keeper'], stream: 'sideways' } },
    { id: 5, method: 'delete' },
    { id: 6, method: 'ping' },
  ]);
  const expected: Array<[number, RegExp]> = [
    [1, /^stop: "targets" must be a list of strings, got the string "keeper"$/],
    [2, /^start: "apps\[0\]\.spec" must be an app spec/],
    [3, /^restart: "baseEnv\.PATH" must be a string, got number 7$/],
    [4, /^logsTail: "stream" must be one of out, err, both/],
    [5, /^delete: "targets" must be a list of strings, got nothing$/],
  ];
  for (const [id, message] of expected) {
    const reply = replies.get(id);
    assert.equal(reply?.ok, false, `request ${id}: ${JSON.stringify(reply)}`);
    assert.equal(reply?.error?.code, 'INVALID_ARGUMENT');
    assert.match(reply?.error?.message ?? '', message);
  }
  assert.equal(replies.get(6)?.ok, true, 'the daemon still answers');
  const [after] = await tend.waitForStatus('keeper', 'online');
  assert.deepEqual([after?.pid, after?.restarts], [before?.pid, 0], 'no malformed request reached the app');
});
