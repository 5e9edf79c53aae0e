import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

interface Reply {
  id: number | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/** A raw connection to the control socket that collects reply lines. */
class RawConnection {
  private readonly replies: Reply[] = [];
  private buffered = '';
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const lines = (this.buffered + chunk.toString('utf8')).split('\n');
      this.buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.replies.push(JSON.parse(line) as Reply);
    });
  }

  static open(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** Waits for the next `count` replies (with a deadline, never a fixed sleep). */
  async next(count = 1, timeoutMs = 10_000): Promise<Reply[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} replies, got ${JSON.stringify(this.replies)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.replies.splice(0, count);
  }

  close(): void {
    this.socket.destroy();
  }
}

const request = (id: number, method: string, params?: unknown): string => `${JSON.stringify({ id, method, params })}\n`;

test('garbage on the socket gets error replies and the daemon keeps its apps', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'keeper']);
  const before = await tend.waitForStatus('keeper', 'online');
  const daemonPid = tend.daemonPid();
  assert.ok(daemonPid);
  const socketPath = join(tend.home, 'tend.sock');

  const early = await RawConnection.open(socketPath);
  await early.write(request(1, 'list'));
  const [beforeHello] = await early.next();
  assert.equal(beforeHello?.ok, false);
  assert.equal(beforeHello?.error?.code, 'PROTOCOL_ERROR');
  await early.write(request(2, 'hello', { protocol: 999, client: 'test' }));
  assert.equal((await early.next())[0]?.error?.code, 'PROTOCOL_MISMATCH');
  early.close();

  const raw = await RawConnection.open(socketPath);
  await raw.write(request(1, 'hello', { protocol: 1, client: 'garbage-test' }));
  assert.equal((await raw.next())[0]?.ok, true);

  // Random bytes (no newline inside, so exactly one frame), then invalid JSON, then non-requests.
  const noise = Buffer.from([...randomBytes(256)].map((b) => (b === 0x0a ? 0x20 : b)));
  await raw.write(Buffer.concat([Buffer.from('{'), noise, Buffer.from('\n')]));
  await raw.write('{"id": 2, "method": \n');
  await raw.write('[1,2,3]\n"just a string"\n{"id":"x","method":"list"}\n');
  const malformed = await raw.next(5);
  assert.ok(malformed.every((r) => r.ok === false && r.error?.code === 'PROTOCOL_ERROR' && r.id === null), JSON.stringify(malformed));

  await raw.write(request(3, 'noSuchMethod') + request(4, '__proto__') + request(5, 'constructor') + request(6, 'hasOwnProperty'));
  const unknown = await raw.next(4);
  assert.deepEqual(unknown.map((r) => [r.id, r.error?.code]), [[3, 'UNKNOWN_METHOD'], [4, 'UNKNOWN_METHOD'], [5, 'UNKNOWN_METHOD'], [6, 'UNKNOWN_METHOD']]);

  // A line over the 8 MiB cap, then a good request on the same connection.
  const huge = Buffer.alloc(9 * 1024 * 1024, 0x78);
  await raw.write(huge);
  await raw.write(`\n${request(7, 'ping')}`);
  const [oversize, pong] = await raw.next(2, 20_000);
  assert.equal(oversize?.error?.code, 'PROTOCOL_ERROR');
  assert.match(oversize?.error?.message ?? '', /larger than/);
  assert.equal(pong?.id, 7);
  assert.equal(pong?.ok, true);
  raw.close();

  assert.ok(isAlive(daemonPid), 'the daemon survived');
  assert.equal(tend.daemonPid(), daemonPid);
  const afterGarbage = await tend.jlist();
  assert.deepEqual(
    afterGarbage.map((i) => [i.id, i.name, i.pid, i.status, i.restarts]),
    before.map((i) => [i.id, i.name, i.pid, i.status, i.restarts]),
  );
});
