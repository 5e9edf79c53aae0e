import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sigint-');
after(() => tend.cleanup());

/** Signal numbers a process ignores, from /proc/<pid>/status. */
function ignoredSignals(pid: number): number[] {
  const mask = BigInt(`0x${/^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0'}`);
  return Array.from({ length: 64 }, (_, n) => n + 1).filter((signal) => (mask >> BigInt(signal - 1)) & 1n);
}

// sh gives a background job SIGINT and SIGQUIT ignored; a program that is not Node kept that
// under the holder, so a shell or Python app never saw the stop's SIGINT.
test('a shell app run under its holder gets SIGINT on stop and its trap runs', async () => {
  const log = join(tend.home, 'trap.log');
  const script = 'trap "echo got INT; exit 0" INT; echo up; while :; do sleep 0.05; done';
  await tend.ok(['start', '/bin/sh', '--name', 'trapper', '--output', log, '--kill-timeout', '20s', '--', '-c', script]);
  const [instance] = await tend.waitForStatus('trapper', 'online');
  const pid = instance?.pid as number;
  await until(() => readFileSync(log, 'utf8').includes('up'), 'the app started its loop');
  assert.deepEqual(ignoredSignals(pid).filter((s) => s === 2 || s === 3), [], 'SIGINT and SIGQUIT are not ignored');
  await tend.ok(['stop', 'trapper']);
  assert.match(readFileSync(log, 'utf8'), /got INT/);
  const [stopped] = await tend.jlist();
  assert.equal(stopped?.status, 'stopped');
});

// A Node app starts without `env --default-signal` in front of it (fork-driver.ts): Node puts
// the dispositions back itself. Its SIGINT handler still runs on a stop with kill_signal SIGINT.
test('a Node app run under its holder gets SIGINT on stop and its handler runs', async () => {
  const log = join(tend.home, 'node-int.log');
  const app = join(tend.home, 'int-handler.js');
  writeFileSync(app, "process.on('SIGINT', () => { console.log('got INT'); process.exit(0); });\nconsole.log('up');\nsetInterval(() => {}, 1000);\n");
  const config = join(tend.home, 'node-int.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [{ name: 'node-int', script: app, out_file: log, kill_signal: 'SIGINT', kill_timeout: 20_000 }] })};\n`);
  await tend.ok(['start', config]);
  const instance = (await tend.waitForStatus('node-int', 'online')).find((i) => i.name === 'node-int');
  const pid = instance?.pid as number;
  await until(() => readFileSync(log, 'utf8').includes('up'), 'the app started');
  assert.deepEqual(ignoredSignals(pid).filter((s) => s === 2 || s === 3), [], 'SIGINT and SIGQUIT are not ignored');
  await tend.ok(['stop', 'node-int']);
  assert.match(readFileSync(log, 'utf8'), /got INT/);
  const stopped = (await tend.jlist()).find((i) => i.name === 'node-int');
  assert.equal(stopped?.exit_code, 0, 'it exited from its handler, not by a signal');
});
