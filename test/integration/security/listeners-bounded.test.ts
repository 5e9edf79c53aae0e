import assert from 'node:assert/strict';
import { type Socket, createConnection } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness, delay, until } from '../../helpers/tend-harness.js';
import { startWeb } from '../web/web-support.js';
import { fdCount, needsRoot, rssBytes, runAsOtherUser } from './support.js';

const tend = new TendHarness('tend-sec-fds-');
after(() => tend.cleanup());

async function daemonPid(): Promise<number> {
  return (JSON.parse(await tend.ok(['ping'])) as { pid: number }).pid;
}

/** Opens `count` TCP connections as another user and holds them; prints how many stayed open. */
const HOLD_TCP = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
let open = 0, settled = 0;
for (let n = 0; n < count; n++) {
  const s = net.createConnection({ host: '127.0.0.1', port });
  s.on('connect', () => { open++; });
  s.on('close', () => { open--; });
  s.on('error', () => {});
  s.once('connect', () => { if (++settled === count) setTimeout(() => console.log('holding ' + open), 1500); });
  s.once('error', () => { if (++settled === count) setTimeout(() => console.log('holding ' + open), 1500); });
}
setInterval(() => {}, 1 << 30);`;

test('connections to the dashboard from any local user take a bounded number of descriptors, and commands keep working', async (t) => {
  if (!needsRoot(t)) return;
  const web = await startWeb(tend);
  const pid = await daemonPid();
  const before = fdCount(pid);
  const holder = runAsOtherUser(HOLD_TCP, [String(web.port), '500']);
  try {
    await holder.waitLine(/^holding \d+/, 20_000);
    const grown = fdCount(pid) - before;
    assert.ok(grown <= 64 + 8, `the daemon holds ${grown} more descriptors with 500 connections open`);
    await tend.ok(['ping']);
    assert.deepEqual(await tend.jlist(), []);
  } finally {
    holder.kill();
  }
});

/** The daemon's descriptor count once it holds still (the connections of a test before may still be closing). */
async function settledFdCount(pid: number): Promise<number> {
  let last = fdCount(pid);
  return until(async () => {
    await delay(200);
    const now = fdCount(pid);
    const settled = now === last;
    last = now;
    return settled ? now : undefined;
  }, 'the daemon descriptors to settle');
}

test('connections to the control socket are capped: the daemon keeps its descriptors', async () => {
  const pid = await daemonPid();
  const before = await settledFdCount(pid);
  const sockets: Socket[] = [];
  try {
    for (let n = 0; n < 400; n += 1) {
      const socket = createConnection(join(tend.home, 'tend.sock'));
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    await until(() => fdCount(pid) - before >= 200, 'connections accepted', 10_000);
    await delay(300);
    const grown = fdCount(pid) - before;
    assert.ok(grown <= 256 + 8, `the daemon holds ${grown} more descriptors with 400 connections open`);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  await tend.ok(['ping']);
});

test('a client that sends requests and never reads the replies costs the daemon bounded memory', async () => {
  await tend.ok(['start', join(import.meta.dirname, '../../fixtures/apps/idle.js'), '--name', 'idle', '-i', '20', '-x']);
  const pid = await daemonPid();
  const before = rssBytes(pid);
  const socket = createConnection(join(tend.home, 'tend.sock'));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause(); // never reads
  const hello = `${JSON.stringify({ id: 0, method: 'hello', params: { protocol: 1, client: 'flood' } })}\n`;
  const list = `${JSON.stringify({ id: 1, method: 'list' })}\n`.repeat(1000);
  socket.write(hello);
  // Each ~25-byte request asks for a ~10 KiB reply: read without bound, these 200,000
  // requests would cost the daemon ~2 GB of unsent replies.
  for (let n = 0; n < 200; n += 1) socket.write(list);
  await delay(2000);
  const grown = rssBytes(pid) - before;
  socket.destroy();
  assert.ok(grown < 96 * 1024 * 1024, `daemon RSS grew by ${(grown / 1024 / 1024).toFixed(1)} MiB`);
  await tend.ok(['ping']);
  await tend.ok(['delete', 'idle']);
});
