import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from '../../helpers/tend-harness.js';

// `tend ping` and `tend jlist` send their request with the hello, not after its answer. A stand-in
// daemon on the home's socket answers nothing until it holds two frames: a client waiting for the
// hello's answer first would give up at its deadline instead.

interface Frame {
  id: number;
  method: string;
  params?: { protocol?: number };
}

let home: string;
let server: Server;
/** How the stand-in answers a hello: taken, or refused as a daemon of another protocol does. */
let acceptHello = true;
const received: string[][] = [];

function answer(socket: Socket, frames: Frame[]): void {
  received.push(frames.map((frame) => frame.method));
  let greeted = false;
  for (const frame of frames) {
    let reply: object;
    if (frame.method === 'hello' && acceptHello) {
      greeted = true;
      reply = { id: frame.id, ok: true, result: { protocol: frame.params?.protocol, version: '0.0.0-stand-in', pid: process.pid } };
    } else if (frame.method === 'hello') {
      reply = { id: frame.id, ok: false, error: { code: 'PROTOCOL_MISMATCH', message: 'the daemon speaks protocol 999, the client 1; run `tend update`' } };
    } else if (!greeted) {
      reply = { id: frame.id, ok: false, error: { code: 'PROTOCOL_ERROR', message: 'send "hello" with the protocol version first' } };
    } else if (frame.method === 'list') {
      reply = { id: frame.id, ok: true, result: [{ id: 0, name: 'stand-in' }] };
    } else {
      reply = { id: frame.id, ok: true, result: { pong: true, pid: process.pid } };
    }
    socket.write(`${JSON.stringify(reply)}\n`);
  }
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'tend-greeting-'));
  server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const lines = text.split('\n');
      // Two whole frames: the hello and the request behind it.
      if (lines.length < 3) return;
      answer(socket, lines.slice(0, 2).map((line) => JSON.parse(line) as Frame));
      text = lines.slice(2).join('\n');
    });
    socket.on('error', () => socket.destroy());
  });
  // A socket private to the user, as the daemon binds it (the CLI refuses any other).
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve) => server.listen(join(home, 'tend.sock'), resolve));
  } finally {
    process.umask(umask);
  }
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

/**
 * The launcher's fast path (the native client where built), or the Node fast path alone
 * (`viaNode`), run asynchronously: the stand-in lives in this process.
 */
function fastPath(verb: 'ping' | 'jlist', viaNode: boolean): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [command, args] = viaNode ? [process.execPath, [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), verb]] : [join(REPO_ROOT, 'dist/bin/tend'), [verb]];
    const child = spawn(command, args, {
      env: { ...process.env, TEND_HOME: home, TEND_DAEMON_DEADLINE_MS: '3000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

for (const viaNode of [false, true]) {
  const by = viaNode ? 'the Node fast path' : 'the launcher';
  test(`ping and jlist send their request with the hello and print the answer (${by})`, async () => {
    acceptHello = true;
    received.length = 0;
    const ping = await fastPath('ping', viaNode);
    assert.equal(ping.status, 0, ping.stderr);
    assert.deepEqual(JSON.parse(ping.stdout), { pong: true, pid: process.pid });
    const jlist = await fastPath('jlist', viaNode);
    assert.equal(jlist.status, 0, jlist.stderr);
    assert.deepEqual(JSON.parse(jlist.stdout), [{ id: 0, name: 'stand-in' }]);
    assert.deepEqual(received, [
      ['hello', 'ping'],
      ['hello', 'list'],
    ]);
  });

  test(`a refused hello prints nothing on stdout and reports its own error, not the request it failed (${by})`, async () => {
    acceptHello = false;
    for (const verb of ['ping', 'jlist'] as const) {
      const run = await fastPath(verb, viaNode);
      assert.equal(run.status === 0, false, `${verb} exited 0`);
      assert.equal(run.stdout, '', verb);
      assert.match(run.stderr, /protocol 999.*tend update/, verb);
      assert.doesNotMatch(run.stderr, /send "hello"/, verb);
    }
  });
}
