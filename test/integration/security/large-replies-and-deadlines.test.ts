import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-big-');
const dataDir = mkdtempSync(join(tmpdir(), 'tend-sec-big-data-'));
after(async () => {
  await tend.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

test('logs --lines 100000 over a 20 MB log answers with the newest lines that fit, and says older ones were left out', async () => {
  const outFile = join(dataDir, 'big-out.log');
  const lines = Array.from({ length: 200_000 }, (_, n) => `line ${String(n).padStart(6, '0')} ${'x'.repeat(90)}`);
  writeFileSync(outFile, `${lines.join('\n')}\n`);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'big', '--output', outFile, '--error', join(dataDir, 'big-err.log')]);
  await tend.waitForStatus('big', 'online');
  const result = await tend.run(['logs', 'big', '--lines', '100000', '--nostream', '--out', '--raw'], { timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /older lines of big \(id \d+\) left out/);
  const printed = result.stdout.trimEnd().split('\n').filter((l) => l !== 'ready');
  assert.ok(printed.length > 10_000 && printed.length < 100_000, `${printed.length} lines`);
  assert.deepEqual(printed.slice(-3), lines.slice(-3));
  const tooMany = await tend.run(['logs', 'big', '--lines', '5000000', '--nostream']);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.stderr, /lines must be a whole number up to 100000/);
  await tend.ok(['delete', 'big']);
});

test('describe all with long stderr tails fits in one reply', async () => {
  const errFile = join(dataDir, 'tails-err.log');
  // 10 lines of 60 KiB each: unbounded, 16 instances' tails alone made a 9.6 MB reply.
  writeFileSync(errFile, Array.from({ length: 10 }, (_, n) => `${n}${'e'.repeat(60 * 1024)}\n`).join(''));
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'tails', '-i', '16', '-x', '--merge-logs', '--error', errFile, '--output', '/dev/null']);
  await tend.waitForStatus('tails', 'online', 16);
  const result = await tend.run(['describe', 'all', '--json'], { timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  const described = JSON.parse(result.stdout) as Array<{ recentStderr: string[] }>;
  assert.equal(described.length, 16);
  for (const d of described) assert.ok(d.recentStderr.join('').length <= 4096, 'each tail is bounded');
  await tend.ok(['delete', 'tails']);
});

/** A daemon of this user that greets and then never answers, or answers with a frame over the cap. */
async function fakeDaemon(home: string, behaviour: 'silent' | 'huge'): Promise<() => void> {
  const server = createServer((socket) => {
    let greeted = false;
    socket.on('data', () => {
      if (!greeted) {
        greeted = true;
        socket.write(`${JSON.stringify({ id: 1, ok: true, result: { protocol: 1, version: '0.1.0', pid: process.pid, home } })}\n`);
      } else if (behaviour === 'huge') {
        socket.write(`{"id":2,"ok":true,"result":"${'x'.repeat(9 * 1024 * 1024)}"}\n`);
      }
    });
    socket.on('error', () => undefined);
  });
  const umask = process.umask(0o177);
  await new Promise<void>((resolve) => server.listen(join(home, 'tend.sock'), resolve));
  process.umask(umask);
  return () => {
    server.close();
  };
}

test('a daemon that never answers: the command fails with a clear error at its deadline', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-sec-mute-'));
  const stop = await fakeDaemon(home, 'silent');
  try {
    const result = await tend.run(['ls'], { env: { TEND_HOME: home, TEND_DAEMON_DEADLINE_MS: '1500' }, timeoutMs: 20_000 });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'tend: the tend daemon did not answer within 1.5 s (it may be stuck or overloaded)');
  } finally {
    stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('a reply over the frame cap is an error, not a hang', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-sec-huge-'));
  const stop = await fakeDaemon(home, 'huge');
  try {
    const result = await tend.run(['ls'], { env: { TEND_HOME: home }, timeoutMs: 20_000 });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the daemon sent a reply the client cannot read \(frame larger than 8388608 bytes\)/);
  } finally {
    stop();
    rmSync(home, { recursive: true, force: true });
  }
});
