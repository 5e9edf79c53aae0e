import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { HolderDirPool, POOL_DIR } from '../../../src/daemon/holder-dir-pool.js';
import { releaseHolder } from '../../../src/daemon/holder-files.js';
import { findHolderTools, holderArgs } from '../../../src/daemon/holder-script.js';
import { until } from '../../helpers/tend-harness.js';

// Holder folders made ahead with their FIFOs, one mkfifo for many (holder-dir-pool.ts).

const root = mkdtempSync(join(tmpdir(), 'tend-test-pool-'));
after(() => rmSync(root, { recursive: true, force: true }));

const tools = findHolderTools();
const isFifo = (path: string): boolean => existsSync(path) && statSync(path).isFIFO();

test('each folder taken is named for its instance, private, with its three FIFOs; the pool refills as it empties', async () => {
  assert.ok(tools, 'this system has /bin/sh, mkfifo and setsid');
  const holders = join(root, 'refill');
  const pool = new HolderDirPool(holders, tools.mkfifo, 8);
  const taken: string[] = [];
  for (let id = 0; id < 20; id += 1) taken.push(await pool.take(id));
  assert.equal(new Set(taken).size, 20);
  taken.forEach((dir, id) => {
    assert.match(basename(dir), new RegExp(`^${id}-p`));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const fifo of ['out', 'err', 'ack']) {
      assert.ok(isFifo(join(dir, fifo)), `${dir}/${fifo} is a FIFO`);
      assert.equal(statSync(join(dir, fifo)).mode & 0o777, 0o600);
    }
  });
  await until(() => pool.size() >= 4 || undefined, 'the pool refilled');
  assert.equal(statSync(join(holders, POOL_DIR)).mode & 0o777, 0o700);
  assert.equal(readdirSync(join(holders, POOL_DIR)).length, pool.size(), 'only ready folders wait in the pool');
});

test('a holder uses the FIFOs of a folder made ahead: it runs without mkfifo, which a fresh folder needs', async () => {
  assert.ok(tools);
  const pool = new HolderDirPool(join(root, 'nomkfifo'), tools.mkfifo, 2);
  const broken = { ...tools, mkfifo: '/nonexistent/mkfifo' };
  const runHolder = async (dir: string) => {
    const holder = spawn('/bin/sh', holderArgs(dir, broken, {}, '/bin/sh', ['-c', 'exit 5']), { stdio: ['pipe', 'pipe', 'ignore'] });
    let gone = false;
    const exited = new Promise<number | null>((resolve) => holder.on('exit', (code) => resolve(code))).finally(() => (gone = true));
    // A holder that cannot make its FIFOs may be gone before its go line: not this test's error.
    holder.stdin.on('error', () => undefined);
    holder.stdin.end('go\n');
    // A holder with a status waits for its release; one that failed exits at once.
    await until(() => gone || existsSync(join(dir, 'status')) || undefined, 'the status file or the exit');
    const status = existsSync(join(dir, 'status')) ? readFileSync(join(dir, 'status'), 'utf8') : null;
    releaseHolder(dir);
    return { code: await exited, status };
  };
  assert.deepEqual(await runHolder(await pool.take(1)), { code: 5, status: '5\n' }, 'the app ran and its status was kept');
  assert.deepEqual(await runHolder(mkdtempSync(join(root, 'fresh-'))), { code: 1, status: null }, 'without FIFOs the holder needs mkfifo');
});

test('a fill that fails leaves nothing in the pool and gives an empty folder, for the holder to make its FIFOs', async () => {
  const holders = join(root, 'failing');
  const pool = new HolderDirPool(holders, '/nonexistent/mkfifo', 4);
  const dir = await pool.take(7);
  assert.match(basename(dir), /^7-/);
  assert.deepEqual(readdirSync(dir), []);
  assert.deepEqual(readdirSync(join(holders, POOL_DIR)), []);
  assert.equal(pool.size(), 0);
});
