import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness, until } from '../../helpers/tend-harness.js';

/**
 * A 2 MiB tmpfs as the app's log folder, filled up before the app starts. Needs root and a
 * sandbox that allows mounts; elsewhere the test falls back to `/dev/full` (no resume check).
 */
const tend = new TendHarness('tend-logs-full-');
const appDir = mkdtempSync(join(tmpdir(), 'tend-logs-full-app-'));
const mountDir = mkdtempSync(join(tmpdir(), 'tend-logs-tmpfs-'));
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountDir]).status === 0;
after(async () => {
  await tend.cleanup();
  // Lazy: a straggler holding a file open must not keep the mount (or this test) alive.
  if (mounted) spawnSync('umount', ['-l', mountDir]);
  rmSync(mountDir, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

interface Described {
  logStats: { droppedLines: number; writtenBytes: number; lastError: string | null } | null;
}

async function logStats(name: string): Promise<NonNullable<Described['logStats']>> {
  const described = JSON.parse(await tend.ok(['describe', name, '--json'])) as Described[];
  const stats = described[0]?.logStats;
  assert.ok(stats, 'describe shows logStats');
  return stats;
}

/** Leaves `freeBytes` free on the 2 MiB device, so the app itself fills it in mid-flow. */
function fillDevice(file: string, freeBytes: number): void {
  writeFileSync(file, Buffer.alloc(2 * 1024 * 1024 - freeBytes, 0x61));
}

test('a log folder on a full device: the daemon keeps answering, the app keeps running, dropped lines are counted, writing resumes when space returns', async () => {
  const progress = join(appDir, 'progress');
  // Prints a numbered line every 2 ms and records how far it got outside the full device:
  // if the daemon blocked the app on its pipe, the progress file would stop moving.
  const script = join(appDir, 'chatty.cjs');
  writeFileSync(script, [
    "const { writeFileSync } = require('node:fs');",
    'let n = 0;',
    `setInterval(() => { n += 1; process.stdout.write('line ' + n + ' ' + 'x'.repeat(80) + '\\n'); if (n % 10 === 0) writeFileSync(${JSON.stringify(progress)}, String(n)); }, 2);`,
    '',
  ].join('\n'));
  const outFile = mounted ? join(mountDir, 'chatty-out.log') : '/dev/full';
  const filler = join(mountDir, 'filler');
  if (mounted) fillDevice(filler, 256 * 1024);

  await tend.ok(['start', script, '--name', 'chatty', '--output', outFile]);
  await tend.waitForStatus('chatty', 'online');
  const dropped = await until(async () => {
    const stats = await logStats('chatty');
    return stats.droppedLines > 0 ? stats : undefined;
  }, 'dropped lines counted');
  assert.match(dropped.lastError ?? '', /ENOSPC/);

  // The app is not held: its progress keeps moving while every line is being dropped.
  const readProgress = (): number => (existsSync(progress) ? Number(readFileSync(progress, 'utf8')) : 0);
  const before = readProgress();
  const started = Date.now();
  const asked = Date.now();
  await tend.jlist();
  const jlistMs = Date.now() - asked;
  await until(() => readProgress() >= before + 100, 'app progress while the device is full', 10_000);
  console.log(`# full device: dropped ${dropped.droppedLines} lines, jlist ${jlistMs} ms, app +100 lines in ${Date.now() - started} ms`);
  assert.ok(jlistMs < 5000);

  if (!mounted) return;
  const linesOnDisk = (): string[] => readFileSync(outFile, 'utf8').split('\n').slice(0, -1);
  const beforeResume = linesOnDisk().length;
  rmSync(filler);
  // Writing resumes by itself (the writer retries after its back-off).
  await until(() => linesOnDisk().length >= beforeResume + 50, 'lines written again after space returned', 15_000);
  // A write cut short by ENOSPC is taken back, so the file holds only whole lines, in order.
  const lines = linesOnDisk();
  const bad = lines.filter((line) => !/^line \d+ x{80}$/.test(line));
  assert.deepEqual(bad, [], 'only whole lines');
  const numbers = lines.map((line) => Number(line.split(' ')[1]));
  assert.ok(numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number)), 'in order');
  const stats = await logStats('chatty');
  assert.ok(stats.writtenBytes >= lines.slice(0, beforeResume + 50).reduce((sum, line) => sum + line.length + 1, 0), JSON.stringify(stats));
});
