import assert from 'node:assert/strict';
import { type Socket, connect, createServer } from 'node:net';
import { once } from 'node:events';
import { test } from 'node:test';
import type { ListenSpec } from '../../../src/core/app-spec.js';
import { isTendError } from '../../../src/core/errors.js';
import { ListenSockets } from '../../../src/daemon/listen-sockets.js';

const tcp = (port: number): ListenSpec => ({ kind: 'tcp', host: '127.0.0.1', port, path: '', name: 'listen', address: `127.0.0.1:${port}` });

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

// Pins the internal API listen-sockets.ts relies on (process.binding('tcp_wrap'/'pipe_wrap')):
// if a Node upgrade changes it, this fails before any app does.
test('the internal handle API used to bind without accepting is still there', () => {
  const tcpWrap = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('tcp_wrap') as {
    TCP: new (type: number) => Record<string, unknown>;
    constants: { SERVER: number };
  };
  const pipeWrap = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('pipe_wrap') as { Pipe: unknown; constants: { SERVER: number } };
  assert.equal(typeof tcpWrap.constants.SERVER, 'number');
  assert.equal(typeof pipeWrap.Pipe, 'function');
  // probe-check.ts connects through the same binding (TCPConnectWrap, constants.SOCKET).
  assert.equal(typeof (tcpWrap as unknown as { TCPConnectWrap: unknown }).TCPConnectWrap, 'function');
  assert.equal(typeof (tcpWrap.constants as unknown as { SOCKET: unknown }).SOCKET, 'number');
  const streamWrap = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('stream_wrap');
  assert.equal(typeof streamWrap.WriteWrap, 'function');
  assert.ok(streamWrap.streamBaseState instanceof Int32Array);
  assert.equal(typeof streamWrap.kReadBytesOrError, 'number');
  assert.equal(typeof streamWrap.kArrayBufferOffset, 'number');
  const handle = new tcpWrap.TCP(tcpWrap.constants.SERVER);
  for (const method of ['bind', 'bind6', 'getsockname', 'open', 'listen', 'connect', 'connect6', 'readStart', 'writeLatin1String', 'close']) assert.equal(typeof handle[method], 'function', method);
  (handle.close as () => void)();
});

test('a socket is bound and listening but never accepted by the daemon: connections wait in the backlog', async () => {
  const port = await freePort();
  const sockets = new ListenSockets();
  await sockets.open({ name: 'app', listen: [tcp(port)] });
  const [fd] = sockets.fdsOf('app');
  assert.ok(typeof fd === 'number' && fd > 2);
  const client: Socket = connect({ host: '127.0.0.1', port });
  await once(client, 'connect');
  // The kernel completed the handshake; nobody accepted, so nothing is ever sent back or closed.
  const closedOrData = await Promise.race([once(client, 'data').then(() => 'data'), once(client, 'close').then(() => 'close'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
  assert.equal(closedOrData, 'waiting');
  client.destroy();
  sockets.close('app');
  const refused = connect({ host: '127.0.0.1', port });
  const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.equal(error.code, 'ECONNREFUSED');
});

test('a port in use is LISTEN_FAILED at open, and the sockets opened before it are closed again', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  const busy = (taken.address() as { port: number }).port;
  const free = await freePort();
  const sockets = new ListenSockets();
  await assert.rejects(sockets.open({ name: 'app', listen: [tcp(free), tcp(busy)] }), (error: unknown) => {
    assert.ok(isTendError(error) && error.code === 'LISTEN_FAILED');
    assert.equal(error.message, `app app: cannot listen on 127.0.0.1:${busy}: the address is already in use (EADDRINUSE)`);
    return true;
  });
  assert.equal(sockets.has('app'), false);
  const again = createServer().listen(free, '127.0.0.1');
  await once(again, 'listening');
  again.close();
  taken.close();
});

test('without perl on PATH, listen() is made by a Node helper instead', async () => {
  const port = await freePort();
  const code = `import { ListenSockets } from './src/daemon/listen-sockets.ts';
    import { connect } from 'node:net';
    const sockets = new ListenSockets();
    await sockets.open({ name: 'app', listen: [{ kind: 'tcp', host: '127.0.0.1', port: ${port}, path: '', name: 'listen', address: '' }] });
    connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); });`;
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { PATH: '/nonexistent' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.stdout.trim(), 'connected', result.stderr);
});
