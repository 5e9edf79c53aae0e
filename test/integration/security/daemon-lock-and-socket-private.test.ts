import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';
import { needsRoot, runAsOtherUser } from './support.js';

const tend = new TendHarness('tend-sec-lock-');
const folders: string[] = [];
after(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await tend.cleanup();
});

/** The abstract socket name tend used as its lock before (after a NUL byte): computable by anyone. */
function formerLockName(home: string, uid: number): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(home, 'utf8')) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `tend-${uid}-${hash.toString(16).padStart(16, '0')}`;
}

/** Connects as another user to every socket path given; prints `<path> <error code or "connected">`. */
const PROBE = `
const net = require('node:net');
for (const path of process.argv.slice(1)) {
  const s = net.createConnection(path);
  s.on('connect', () => { console.log(path + ' connected'); s.destroy(); });
  s.on('error', (e) => console.log(path + ' ' + e.code));
}`;

test('another user can neither hold the daemon lock nor reach the lock or control socket', async (t) => {
  if (!needsRoot(t)) return;
  // The attack on the former lock: bind its abstract name before any daemon starts.
  const squatter = runAsOtherUser(
    `require('node:net').createServer(() => {}).listen('\\0' + process.argv[1], () => console.log('bound'));`,
    [formerLockName(tend.home, 0)],
  );
  try {
    await squatter.waitLine(/bound/);
    const ping = await tend.run(['ping'], { timeoutMs: 10_000 });
    assert.equal(ping.code, 0, ping.stderr);
    const lock = join(tend.home, 'tend.lock');
    assert.equal(lstatSync(lock).mode & 0o777, 0o600);
    const probe = runAsOtherUser(PROBE, [lock, join(tend.home, 'tend.sock')]);
    await probe.exited;
    assert.deepEqual(probe.lines.sort(), [`${lock} EACCES`, `${join(tend.home, 'tend.sock')} EACCES`]);
  } finally {
    squatter.kill();
  }
});

test('the lock accepts no connection, even from its own user', async () => {
  await tend.ok(['ping']);
  const lock = join(tend.home, 'tend.lock');
  const closedByDaemon = await Promise.all(
    Array.from({ length: 20 }, () => new Promise<boolean>((resolve) => {
      const socket = createConnection(lock);
      socket.on('close', () => resolve(true));
      socket.on('error', () => resolve(true));
    })),
  );
  assert.equal(closedByDaemon.filter(Boolean).length, 20);
  await tend.ok(['ping']);
});

test('a lock left by a SIGKILLed daemon is taken over by exactly one new daemon, whatever the number of racing commands', async () => {
  await tend.ok(['ping']);
  // The daemon and its guardian, killed outright: the lock's socket file stays behind.
  for (const pid of tend.tendProcessesOfThisHome()) killQuietly(pid);
  await until(() => tend.tendProcessesOfThisHome().length === 0, 'the daemon and guardian gone');
  assert.ok(existsSync(join(tend.home, 'tend.lock')), 'the dead lock is still there');
  const results = await Promise.all(Array.from({ length: 4 }, () => tend.run(['ping'])));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const pids = new Set(results.map((r) => (JSON.parse(r.stdout) as { pid: number }).pid));
  assert.equal(pids.size, 1, `one daemon answered all: ${[...pids].join(', ')}`);
  // Daemons that lost the race exit at once, and their guardians with them: the winner and its guardian remain.
  await until(() => tend.tendProcessesOfThisHome().filter((pid) => isAlive(pid)).length <= 2, 'the losing daemons gone');
  assert.equal((JSON.parse(await tend.ok(['ping'])) as { pid: number }).pid, [...pids][0]);
});

test('the CLI sends nothing to a socket another user made, in a home of theirs', async (t) => {
  if (!needsRoot(t)) return;
  const home = mkdtempSync(join(tmpdir(), 'tend-sec-shared-'));
  folders.push(home);
  chmodSync(home, 0o777);
  // Another user's fake daemon, waiting in a home the victim was told to use.
  const fake = runAsOtherUser(
    `const fs = require('node:fs'); const home = process.argv[1];
     fs.mkdirSync(home + '/h', { mode: 0o755 });
     const server = require('node:net').createServer((s) => s.on('data', (d) => console.log('received ' + d.length)));
     server.listen(home + '/h/tend.sock', () => { fs.chmodSync(home + '/h/tend.sock', 0o777); console.log('listening'); });`,
    [home],
  );
  try {
    await fake.waitLine(/listening/);
    const result = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'secret-app'], { env: { TEND_HOME: join(home, 'h'), SECRET_TOKEN: 'hunter2' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /h belongs to uid 65534, not to you \(uid 0\); refusing to use it/);
    assert.deepEqual(fake.lines.filter((l) => l.startsWith('received')), [], 'the fake daemon received nothing');
  } finally {
    fake.kill();
  }
});
