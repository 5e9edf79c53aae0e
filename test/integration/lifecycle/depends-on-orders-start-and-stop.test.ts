import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness, killQuietly } from '../../helpers/tend-harness.js';
import { ConfigDir } from '../ecosystem/support.js';

const APP = join(FIXTURES, 'note-lifecycle.js');
const DB_READY_AFTER_MS = 2000;

let tend: TendHarness;
let dir: ConfigDir;
let events: string;
let crashFlag: string;

beforeEach(() => {
  tend = new TendHarness();
  dir = new ConfigDir();
  events = join(dir.path, 'events.log');
  crashFlag = join(dir.path, 'db-cannot-start');
  writeFileSync(events, '');
});
afterEach(async () => {
  await tend.cleanup();
  dir.remove();
});

/** api listed first, so any order seen comes from depends_on, not from the file. */
function writeFile(name = 'eco.json'): string {
  const env = { EVENTS_FILE: events };
  return dir.write(
    name,
    JSON.stringify({
      apps: [
        { name: 'api', script: APP, depends_on: ['db'], env: { ...env, STOP_DELAY_MS: '300' } },
        {
          name: 'db',
          script: APP,
          wait_ready: true,
          listen_timeout: 30_000,
          max_restarts: 2,
          min_uptime: 1000,
          env: { ...env, READY_AFTER_MS: String(DB_READY_AFTER_MS), CRASH_IF_EXISTS: crashFlag },
        },
      ],
    }),
  );
}

interface Event {
  app: string;
  event: string;
  at: number;
}

function readEvents(): Event[] {
  return readFileSync(events, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [app = '', event = '', at = ''] = line.split(' ');
      return { app, event, at: Number(at) };
    });
}

const last = (list: Event[], app: string, event: string): Event | undefined => list.filter((e) => e.app === app && e.event === event).at(-1);
const byName = (list: InstanceInfo[], name: string): InstanceInfo | undefined => list.find((i) => i.name === name);

/** The stop signals and exits in the order the apps wrote them, from `from` on. */
function stopSequence(from: number): string[] {
  return readEvents()
    .slice(from)
    .filter((e) => e.event !== 'start' && e.event !== 'ready')
    .map((e) => `${e.app} ${e.event.startsWith('SIG') ? 'signal' : e.event}`);
}

/** Both online, and api's process started after db said it was ready. */
async function assertApiStartedAfterDbReady(): Promise<void> {
  await tend.waitFor((l) => byName(l, 'api')?.status === 'online' && byName(l, 'db')?.status === 'online', 'api and db online', 30_000);
  const seen = readEvents();
  const dbReady = last(seen, 'db', 'ready');
  const apiStart = last(seen, 'api', 'start');
  assert.ok(dbReady && apiStart, JSON.stringify(seen));
  assert.ok(apiStart.at > dbReady.at, `api started at ${apiStart.at}, db was ready at ${dbReady.at}`);
}

test('api waits for db to be ready, then starts, after a restart all too; stop all and kill end api before db', async () => {
  const file = writeFile();
  await tend.ok(['start', file]);
  const waiting = await tend.waitFor((l) => byName(l, 'api')?.status === 'waiting', 'api waiting');
  assert.equal(byName(waiting, 'api')?.waiting_for, 'db');
  assert.equal(byName(waiting, 'api')?.waiting_reason, 'waiting for db (launching)');
  assert.equal(byName(waiting, 'api')?.pid, null);
  await assertApiStartedAfterDbReady();

  const beforeStop = readEvents().length;
  await tend.ok(['stop', 'all']);
  assert.deepEqual(stopSequence(beforeStop), ['api signal', 'api exit', 'db signal', 'db exit'], 'db is signalled only once api is gone');

  await tend.ok(['start', file]);
  await assertApiStartedAfterDbReady();
  // A restart is a stop with a queued start: api's start waits for the new db to be ready.
  await tend.ok(['restart', 'all']);
  await assertApiStartedAfterDbReady();
  const beforeKill = readEvents().length;
  await tend.ok(['kill']);
  assert.deepEqual(stopSequence(beforeKill), ['api signal', 'api exit', 'db signal', 'db exit']);
});

test('a dependency that ends errored leaves its dependent waiting, never started, until it comes online', async () => {
  writeFileSync(crashFlag, '');
  await tend.ok(['start', writeFile()]);
  const list = await tend.waitFor((l) => byName(l, 'db')?.status === 'errored', 'db errored', 30_000);
  const api = byName(list, 'api');
  assert.equal(api?.status, 'waiting');
  assert.equal(api?.waiting_reason, 'waiting for db (errored)');
  assert.equal(api?.restarts, 0);
  assert.equal(api?.pid, null);
  assert.ok(!readEvents().some((e) => e.app === 'api'), 'api was never spawned');
  assert.match(await tend.ok(['ls']), /│ api .*│ waiting for db │/);
  const described = await tend.ok(['describe', 'api']);
  assert.match(described, /^status +waiting for db \(errored\)$/m);
  assert.match(described, /^depends on +db$/m);

  // The daemon dies: the next one still knows what api waits for (state.json keeps the spec).
  const daemon = tend.daemonPid();
  assert.ok(daemon);
  killQuietly(daemon);
  const restored = await tend.waitFor((l) => byName(l, 'api')?.status === 'waiting' && tend.daemonPid() !== daemon, 'api waiting under a new daemon', 30_000);
  assert.match(byName(restored, 'api')?.waiting_reason ?? '', /^waiting for db \((stopped|launching|waiting|errored)\)$/);

  rmSync(crashFlag);
  await tend.ok(['restart', 'db']);
  await assertApiStartedAfterDbReady();
  assert.equal(byName(await tend.jlist(), 'api')?.restarts, 0);
});

test('resurrect starts a saved dependent only after its dependency is ready, and delete ends it first', async () => {
  await tend.ok(['start', writeFile()]);
  await assertApiStartedAfterDbReady();
  await tend.ok(['save']);
  await tend.ok(['kill']);
  const before = readEvents().length;
  await tend.ok(['resurrect']);
  await assertApiStartedAfterDbReady();
  assert.deepEqual(
    readEvents()
      .slice(before)
      .filter((e) => e.event === 'start' || e.event === 'ready')
      .map((e) => `${e.app} ${e.event}`),
    ['db start', 'db ready', 'api start'],
  );
  const beforeDelete = readEvents().length;
  await tend.ok(['delete', 'all']);
  assert.deepEqual(stopSequence(beforeDelete), ['api signal', 'api exit', 'db signal', 'db exit']);
});

test('a depends_on cycle is refused naming it, and nothing starts', async () => {
  const file = dir.write(
    'cycle.json',
    JSON.stringify({ apps: [{ name: 'a', script: APP, depends_on: 'b', env: { EVENTS_FILE: events } }, { name: 'b', script: APP, depends_on: ['a'], env: { EVENTS_FILE: events } }] }),
  );
  const result = await tend.run(['start', file]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /depends_on has a cycle: a -> b -> a\n$/);
  assert.deepEqual(await tend.jlist(), []);
  assert.equal(readEvents().length, 0);
});
