import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../../helpers/tend-harness.js';
import { type Other, needsRoot, runAsOtherUser } from './support.js';

// The socket file in a private home stands for the daemon (DESIGN.md §5), but the kernel knows
// who listens on it: the native client of `tend ping` and `tend jlist` asks (SO_PEERCRED) and
// sends nothing to a process of another user, even when the socket file itself looks right.

const folders: string[] = [];
let listener: Other | null = null;
after(() => {
  listener?.kill();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

test('a socket that looks like ours but is listened on by another user gets nothing', async (t) => {
  if (!needsRoot(t)) return;
  const home = mkdtempSync(join(tmpdir(), 'tend-sec-peer-'));
  const drop = mkdtempSync(join(tmpdir(), 'tend-sec-peer-drop-'));
  folders.push(home, drop);
  chmodSync(drop, 0o777);
  // Another user listens, and reports any byte it is sent.
  listener = runAsOtherUser(
    `require('node:net').createServer((s) => s.on('data', (d) => console.log('received ' + d.length))).listen(process.argv[1], () => console.log('listening'));`,
    [join(drop, 'tend.sock')],
  );
  await listener.waitLine(/listening/);
  // Its socket moved into a private home and made to look like the daemon's: ours, 0600.
  const socket = join(home, 'tend.sock');
  renameSync(join(drop, 'tend.sock'), socket);
  chownSync(socket, 0, 0);
  chmodSync(socket, 0o600);

  for (const verb of ['ping', 'jlist']) {
    const run = spawnSync(join(REPO_ROOT, 'dist/bin/tend'), [verb], { env: { ...process.env, TEND_HOME: home, TEND_DAEMON_DEADLINE_MS: '2000' }, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `tend: the process answering on ${socket} runs as uid 65534, not as you (uid 0); refusing to use it\n`);
  }
  // Anything sent would have been printed by now (the listener answers at once).
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(
    listener.lines.filter((line) => line.startsWith('received')),
    [],
  );
});
