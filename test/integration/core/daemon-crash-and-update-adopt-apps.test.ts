import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HistoryEntry, InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';
import { findFreePort } from '../cluster/support.js';
import { checkNumberedLines, checkNumberedLinesAcrossKill, guardianPids, pollHttp, waitDaemonPastGuardianWindow, waitNewDaemon } from './adoption-support.js';

// A daemon that dies (SIGKILL) or is replaced (`tend update`) leaves its apps running under
// their holders; the next daemon adopts them: same pids, no restart, no failed request, and
// every line they wrote meanwhile reaches the log once, in order. A SIGKILL may cost the one
// chunk the daemon had read and not written yet (checkNumberedLinesAcrossKill); a handover
// costs nothing.
let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-adopt-');
});
after(() => tend.cleanup());

const APP = join(FIXTURES, 'http-numbered-lines.js');

async function historyOf(name: string): Promise<HistoryEntry[]> {
  const [described] = JSON.parse(await tend.ok(['describe', name, '--json'])) as Array<{ history: HistoryEntry[] }>;
  return described?.history ?? [];
}

async function stopAndCheckLines(name: string): Promise<void> {
  await tend.ok(['stop', name]);
  const check = checkNumberedLines(join(tend.home, 'logs', `${name}-out.log`));
  assert.ok(check.lines > 100, `${check.lines} lines`);
  assert.deepEqual(check.problems, [], 'every numbered line once, in order');
}

function onlineRow(list: InstanceInfo[], name: string): InstanceInfo {
  const row = list.find((i) => i.name === name);
  assert.ok(row && row.status === 'online', JSON.stringify(row));
  return row;
}

test('daemon SIGKILLed under load: the guardian’s new daemon adopts the app (same pid, 0 restarts, 0 failed requests, every line once but the chunk in hand)', async () => {
  const port = await findFreePort();
  await tend.ok(['start', APP, '--name', 'crashweb', '-p', String(port), '--min-uptime', '200ms']);
  const before = onlineRow(await tend.waitForStatus('crashweb', 'online'), 'crashweb');
  const client = await pollHttp(port);
  const daemon = await waitDaemonPastGuardianWindow(tend);
  const log = join(tend.home, 'logs', 'crashweb-out.log');
  const linesBeforeKill = checkNumberedLines(log).lines;
  process.kill(daemon, 'SIGKILL');
  await waitNewDaemon(tend, daemon);
  const afterList = await tend.waitFor((l) => l.some((i) => i.name === 'crashweb' && i.adopted_at !== null), 'crashweb adopted');
  const row = onlineRow(afterList, 'crashweb');
  assert.equal(row.pid, before.pid);
  assert.equal(row.restarts, 0);
  await until(() => checkNumberedLines(join(tend.home, 'logs', 'crashweb-out.log')).lines > 400, 'lines after the adoption');
  const polled = await client.stop();
  assert.equal(polled.failed, 0, JSON.stringify(polled));
  assert.ok(polled.ok > 50, JSON.stringify(polled));
  assert.ok((await historyOf('crashweb')).some((h) => h.event === 'adopted'));
  assert.match(readFileSync(join(tend.home, 'daemon.log'), 'utf8'), /adopted a running instance.*"app":"crashweb"/);
  await tend.ok(['stop', 'crashweb']);
  const check = checkNumberedLinesAcrossKill(log, linesBeforeKill);
  assert.ok(check.lines > 400, `${check.lines} lines`);
  assert.deepEqual(check.problems, [], 'every numbered line once, in order, but the chunk in hand at the kill');
});

test('tend update hands the app over: same pid, 0 restarts, 0 failed requests, every line once', async () => {
  const port = await findFreePort();
  await tend.ok(['start', APP, '--name', 'upweb', '-p', String(port), '--min-uptime', '200ms']);
  const before = onlineRow(await tend.waitForStatus('upweb', 'online'), 'upweb');
  const client = await pollHttp(port);
  await until(() => checkNumberedLines(join(tend.home, 'logs', 'upweb-out.log')).lines > 100, 'lines before the update');
  const oldDaemon = tend.daemonPid();
  assert.match(await tend.ok(['update']), /daemon updated/);
  assert.notEqual(tend.daemonPid(), oldDaemon);
  const row = onlineRow(await tend.jlist(), 'upweb');
  assert.equal(row.pid, before.pid);
  assert.equal(row.restarts, 0);
  assert.notEqual(row.adopted_at, null);
  const linesAtUpdate = checkNumberedLines(join(tend.home, 'logs', 'upweb-out.log')).lines;
  await until(() => checkNumberedLines(join(tend.home, 'logs', 'upweb-out.log')).lines > linesAtUpdate + 100, 'lines after the update');
  const polled = await client.stop();
  assert.equal(polled.failed, 0, JSON.stringify(polled));
  await stopAndCheckLines('upweb');
});

test('an app that exits with code 7 while no daemon runs: the next daemon records code 7 and restarts it', async () => {
  const port = await findFreePort();
  await tend.ok(['start', APP, '--name', 'exits', '-p', String(port), '--min-uptime', '200ms']);
  const before = onlineRow(await tend.waitForStatus('exits', 'online'), 'exits');
  assert.ok(before.pid);
  // Online comes at min_uptime; on a loaded machine the app may not have run its code (and set
  // its SIGUSR2 handler) by then. Its first numbered line says it has.
  const log = join(tend.home, 'logs', 'exits-out.log');
  await until(() => existsSync(log) && checkNumberedLines(log).lines > 0, 'the app running its code');
  // No guardian either: nothing runs until the next command.
  for (const pid of guardianPids(tend)) killQuietly(pid);
  const daemon = tend.daemonPid();
  assert.ok(daemon);
  process.kill(daemon, 'SIGKILL');
  await until(() => !isAlive(daemon), 'the daemon gone');
  process.kill(before.pid, 'SIGUSR2');
  await until(() => !isAlive(before.pid as number), 'the app gone');
  const restarted = await tend.waitFor((l) => l.some((i) => i.name === 'exits' && i.status === 'online' && i.pid !== before.pid), 'exits restarted');
  assert.equal(onlineRow(restarted, 'exits').restarts, 1);
  const exited = (await historyOf('exits')).filter((h) => h.event === 'exited');
  assert.deepEqual(exited.map((h) => [h.pid, h.exitCode, h.signal]), [[before.pid, 7, null]]);
});

function checkWorkerLogs(name: string, ids: number[], linesBeforeKill: Map<number, number>): void {
  for (const id of ids) {
    const check = checkNumberedLinesAcrossKill(join(tend.home, 'logs', `${name}-out-${id}.log`), linesBeforeKill.get(id) ?? 0);
    assert.ok(check.lines > 100, `worker ${id}: ${check.lines} lines`);
    assert.deepEqual(check.problems, [], `worker ${id}: every numbered line once, in order`);
  }
}

test('a cluster app (-i 2) through a daemon SIGKILL and a tend update: same host and workers, 0 restarts, 0 failed requests, every line once but the chunk in hand', async () => {
  const port = await findFreePort();
  await tend.ok(['start', APP, '--name', 'cweb', '-i', '2', '-p', String(port)]);
  const before = (await tend.waitForStatus('cweb', 'online', 2)).filter((i) => i.name === 'cweb');
  const client = await pollHttp(port);
  const daemon = await waitDaemonPastGuardianWindow(tend);
  const linesBeforeKill = new Map(before.map((i) => [i.id, checkNumberedLines(join(tend.home, 'logs', `cweb-out-${i.id}.log`)).lines]));
  process.kill(daemon, 'SIGKILL');
  await waitNewDaemon(tend, daemon);
  const adopted = (await tend.waitFor((l) => l.filter((i) => i.name === 'cweb' && i.adopted_at !== null).length === 2, 'cweb adopted')).filter((i) => i.name === 'cweb');
  assert.deepEqual(adopted.map((i) => [i.pid, i.status, i.restarts]), before.map((i) => [i.pid, 'online', 0]));
  assert.match(await tend.ok(['update']), /daemon updated/);
  const updated = (await tend.jlist()).filter((i) => i.name === 'cweb');
  assert.deepEqual(updated.map((i) => [i.pid, i.status, i.restarts]), before.map((i) => [i.pid, 'online', 0]));
  const lines = (): number => checkNumberedLines(join(tend.home, 'logs', `cweb-out-${before[0]?.id}.log`)).lines;
  const atUpdate = lines();
  await until(() => lines() > atUpdate + 100, 'lines after the update');
  const polled = await client.stop();
  assert.equal(polled.failed, 0, JSON.stringify(polled));
  await tend.ok(['stop', 'cweb']);
  checkWorkerLogs('cweb', before.map((i) => i.id), linesBeforeKill);
});
