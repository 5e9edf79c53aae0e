import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { POOL_DIR } from '../../../src/daemon/holder-dir-pool.js';
import { readProcStat } from '../../../src/metrics/proc-stat.js';
import { TendHarness, isAlive, until } from '../../helpers/tend-harness.js';
import { waitNewDaemon } from './adoption-support.js';

// An app run as another user has a holder too: the holder (the daemon's user) keeps its FIFOs
// in the 0700 home and drops to the app's user with setpriv just before the app execs; a
// daemon SIGKILL then leaves it running and the next daemon adopts it.
const isRoot = process.getuid?.() === 0;
const hasSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
});
const skip = !isRoot ? 'needs root to start an app as another user' : !hasSetpriv ? 'needs util-linux setpriv' : false;

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-otheruser-');
});
after(() => tend.cleanup());

test('an app run as nobody runs under a root holder, logs through it, and is adopted after a daemon SIGKILL', { skip }, async () => {
  const nobody = Number(/^nobody:[^:]*:(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[1]);
  assert.ok(Number.isInteger(nobody));
  const script = 'n=0; while :; do echo "$n uid $(id -u)"; n=$((n+1)); sleep 0.05; done';
  await tend.ok(['start', '/bin/sh', '--name', 'asnobody', '--uid', 'nobody', '--min-uptime', '200ms', '--', '-c', script], { cwd: '/' });
  const [row] = await tend.waitForStatus('asnobody', 'online');
  const pid = row?.pid;
  assert.ok(pid);
  assert.equal(statSync(`/proc/${pid}`).uid, nobody, 'the app runs as nobody');
  const holderPid = readProcStat(pid)?.ppid;
  assert.ok(holderPid);
  assert.equal(statSync(`/proc/${holderPid}`).uid, 0, 'its parent, the holder, runs as root');
  assert.match(readFileSync(`/proc/${holderPid}/cmdline`, 'latin1'), /tend-holder/);
  // The FIFOs stay private to the daemon's user; the app only holds open write ends.
  const holders = join(tend.home, 'holders');
  assert.equal(statSync(holders).mode & 0o777, 0o700);
  // The holders' folders, and those the daemon made ahead (holder-dir-pool.ts).
  const pool = join(holders, POOL_DIR);
  const dirs = [...readdirSync(holders).filter((d) => d !== POOL_DIR).map((d) => join(holders, d)), ...readdirSync(pool).map((d) => join(pool, d))];
  assert.equal(statSync(pool).mode & 0o777, 0o700);
  for (const dir of dirs) {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const fifo of ['out', 'err', 'ack']) assert.equal(statSync(join(dir, fifo)).mode & 0o777, 0o600);
  }
  const log = join(tend.home, 'logs', 'asnobody-out.log');
  await until(() => readFileSync(log, 'utf8').includes(` uid ${nobody}`), 'the app output in its log');

  const daemon = tend.daemonPid();
  assert.ok(daemon);
  process.kill(daemon, 'SIGKILL');
  await until(() => !isAlive(daemon), 'the daemon gone');
  await tend.jlist();
  await waitNewDaemon(tend, daemon);
  const adopted = await tend.waitFor((list) => list.some((i) => i.name === 'asnobody' && i.adopted_at !== null), 'asnobody adopted');
  const after = adopted.find((i) => i.name === 'asnobody');
  assert.equal(after?.pid, pid, 'the same process');
  assert.equal(after?.restarts, 0);
  const linesBefore = readFileSync(log, 'utf8').split('\n').length;
  await until(() => readFileSync(log, 'utf8').split('\n').length > linesBefore + 5, 'lines after the adoption');
  await tend.ok(['stop', 'asnobody']);
  assert.ok(!isAlive(pid));
  const numbers = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => Number.parseInt(l, 10));
  assert.deepEqual(numbers, numbers.map((_, k) => k), 'every line once, in order');
});
