import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { REPO_ROOT } from '../../helpers/tend-harness.js';

// The native client of `tend ping` and `tend jlist` (src/bin/tend-fast.c) against a stand-in
// daemon on the home's socket, which answers as each test sets it to: the reply split into tiny
// writes, never, cut off, refused. A run that reached Node (the fallback) is seen through
// TEND_NODE, a recorder that writes a mark and then runs node.

const NATIVE = join(REPO_ROOT, 'dist/bin/tend-fast');

type Behaviour = (socket: Socket, frames: Array<{ id: number; method: string }>) => void;

let home: string;
let server: Server;
let behave: Behaviour;
let connections = 0;
let nodeMark: string;
let recorder: string;

/** The daemon's reply frame, as it encodes one. */
function replyFrame(id: number, result: unknown): string {
  return `${JSON.stringify({ id, ok: true, result })}\n`;
}

const helloOk = (id: number): string => replyFrame(id, { protocol: 1, version: '0.0.0-stand-in', pid: process.pid, home });

before(async () => {
  try {
    accessSync(NATIVE, constants.X_OK);
  } catch {
    assert.fail(`${NATIVE} was not built: the build compiles it with cc (install a C compiler, then npm run build)`);
  }
  home = mkdtempSync(join(tmpdir(), 'tend-native-'));
  nodeMark = join(home, 'node-ran');
  recorder = join(home, 'record-node.sh');
  writeFileSync(recorder, `#!/bin/sh\necho "$@" >> "${nodeMark}"\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
  server = createServer((socket) => {
    connections++;
    let text = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const lines = text.split('\n');
      if (answered || lines.length < 3) return;
      answered = true;
      behave(
        socket,
        lines.slice(0, 2).map((line) => JSON.parse(line) as { id: number; method: string }),
      );
    });
    socket.on('error', () => socket.destroy());
  });
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

beforeEach(() => {
  connections = 0;
  rmSync(nodeMark, { force: true });
  chmodSync(home, 0o700);
});

function nodeRan(): boolean {
  try {
    accessSync(nodeMark);
    return true;
  } catch {
    return false;
  }
}

interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * `tend VERB` through the launcher, or through the Node fast path alone (`viaNode`);
 * `readBytes` closes the reading end after that many bytes.
 */
function tend(verb: 'ping' | 'jlist', { readBytes = Infinity, deadlineMs = 3000, viaNode = false } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const [command, args] = viaNode ? [process.execPath, [join(REPO_ROOT, 'dist/bin/tend-fast.cjs'), verb]] : [join(REPO_ROOT, 'dist/bin/tend'), [verb]];
    const child = spawn(command, args, {
      env: { ...process.env, TEND_HOME: home, TEND_NODE: recorder, TEND_DAEMON_DEADLINE_MS: String(deadlineMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      outBytes += chunk.length;
      if (outBytes >= readBytes) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr }));
  });
}

/** Writes `text` in pieces of the given sizes (the last takes the rest), a pause between each. */
async function writeInPieces(socket: Socket, text: string, sizes: number[]): Promise<void> {
  let at = 0;
  for (const size of [...sizes, text.length]) {
    if (at >= text.length) break;
    socket.write(text.slice(at, at + size));
    at += size;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a reply that arrives a few bytes at a time is printed whole, without starting node', async () => {
  const rows = [{ id: 0, name: 'a}b', nested: { deep: [1, { x: '}' }] } }, { id: 1, name: 'ü \\"quoted\\"' }];
  behave = (socket, frames) => {
    const text = helloOk(frames[0]!.id) + replyFrame(frames[1]!.id, rows);
    // Cuts inside the hello, at its newline, inside the reply's head, and one byte at a time at
    // its end, where the closing brace and the newline are told apart from the result.
    const tail = text.length - 4;
    void writeInPieces(socket, text, [7, 90, 3, 2, 1, 40, tail - 143, 1, 1, 1, 1]);
  };
  const run = await tend('jlist');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.toString('utf8'), `${JSON.stringify(rows)}\n`);
  assert.equal(nodeRan(), false, 'node was started');
  assert.equal(connections, 1);
});

test('ping prints the result as the daemon encoded it', async () => {
  behave = (socket, frames) => {
    assert.deepEqual(
      frames.map((frame) => frame.method),
      ['hello', 'ping'],
    );
    socket.write(helloOk(frames[0]!.id) + replyFrame(frames[1]!.id, { pong: true, pid: 1234, version: '9.9.9' }));
  };
  const run = await tend('ping');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.toString('utf8'), '{"pong":true,"pid":1234,"version":"9.9.9"}\n');
  assert.equal(nodeRan(), false);
});

test('a daemon silent past the deadline is given up on with a clear error, not waited for twice', async () => {
  behave = () => {};
  const run = await tend('jlist', { deadlineMs: 300 });
  assert.equal(run.status, 1);
  assert.equal(run.stdout.length, 0);
  assert.equal(run.stderr, 'tend: the tend daemon did not answer within 0.3 s (it may be stuck or overloaded)\n');
  assert.equal(nodeRan(), false);
});

test('a connection cut in the middle of the result fails the command', async () => {
  behave = (socket, frames) => {
    const text = helloOk(frames[0]!.id) + replyFrame(frames[1]!.id, Array.from({ length: 2000 }, (_, id) => ({ id, name: `app-${id}` })));
    socket.write(text.slice(0, text.length / 2), () => socket.destroy());
  };
  const run = await tend('jlist');
  assert.equal(run.status, 1);
  assert.equal(run.stderr, 'tend: the connection to the daemon closed\n');
  assert.ok(run.stdout.length > 0, 'nothing was printed before the cut');
  assert.equal(nodeRan(), false, 'node was started after output had begun');
});

test('a reader that stops reading (`tend jlist | head`) ends it quietly, native or Node', async () => {
  behave = (socket, frames) => {
    const rows = Array.from({ length: 40_000 }, (_, id) => ({ id, name: `app-${id}`, padding: 'x'.repeat(40) }));
    socket.write(helloOk(frames[0]!.id) + replyFrame(frames[1]!.id, rows));
  };
  // The reading end here is a socket, which reports a reader gone as EPIPE or, racing its
  // close, ECONNRESET (seen once in a few runs): both must end the command quietly.
  for (const [viaNode, runs] of [
    [false, 20],
    [true, 6],
  ] as const) {
    for (let i = 0; i < runs; i++) {
      const run = await tend('jlist', { readBytes: 100, viaNode });
      assert.equal(run.status, 0, `${viaNode ? 'node' : 'native'} run ${i}: ${run.stderr}`);
      assert.equal(run.stderr, '');
    }
  }
});

test('an error reply is left to the Node path, which words it', async () => {
  behave = (socket, frames) => {
    socket.write(helloOk(frames[0]!.id) + `${JSON.stringify({ id: frames[1]!.id, ok: false, error: { code: 'DAEMON_STOPPING', message: 'the daemon is shutting down' } })}\n`);
  };
  const run = await tend('jlist');
  assert.equal(run.status, 1);
  assert.equal(run.stdout.length, 0);
  assert.equal(run.stderr, 'tend: the daemon is shutting down\n');
  assert.equal(nodeRan(), true, 'the Node path did not run');
  assert.equal(connections, 2, 'the Node path asked the daemon again');
});

test("a home others may write to is refused before anything is sent, in the Node path's words", async () => {
  behave = (socket, frames) => socket.write(helloOk(frames[0]!.id) + replyFrame(frames[1]!.id, []));
  chmodSync(home, 0o770);
  const run = await tend('ping');
  assert.equal(run.status, 1);
  assert.equal(run.stdout.length, 0);
  assert.match(run.stderr, /^tend: .* is writable by group or others \(mode 0770\); refusing to use it/);
  assert.equal(connections, 0, 'something connected to the socket of a loose home');
});
