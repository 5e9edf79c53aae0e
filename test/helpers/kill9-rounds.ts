/**
 * Daemon SIGKILL at random moments of start, reload, save, scale and delete. Each round runs
 * one command and SIGKILLs the daemon a random time after the command began; the next command
 * brings a daemon back, and then the promise is checked: every app has the instances it had
 * before the command or those the command asked for (never another number, never twice the
 * same id), all of them online; every process carrying this TEND_HOME is known (daemon,
 * guardian, holders, cluster hosts, listed instances: no orphans); state.json and dump.json
 * parse. The schedule comes from fast-check, so a seed repeats a run. Shared by the fast test
 * and `npm run chaos`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { InstanceInfo } from '../../src/core/instance-info.js';
import { FIXTURES, type TendHarness, delay, isAlive, until } from './tend-harness.js';

type Operation = 'start' | 'reload' | 'save' | 'scale' | 'delete';
export const OPERATIONS: readonly Operation[] = ['start', 'reload', 'save', 'scale', 'delete'];

export interface Kill9Round {
  operation: Operation;
  /** Milliseconds from the command's spawn to the SIGKILL. */
  killAfterMs: number;
}

export interface Kill9Outcome {
  rounds: number;
  /** Rounds whose command had already finished when the daemon was killed. */
  finishedFirst: number;
  /** The first broken promise, or null. */
  failure: string | null;
}

/** `count` rounds covering every operation in turn, with kill moments from `seed`. */
export function planRounds(count: number, seed: number, maxKillAfterMs = 1200): Kill9Round[] {
  const moments = fc.sample(fc.integer({ min: 0, max: maxKillAfterMs }), { numRuns: count, seed });
  return moments.map((killAfterMs, n) => ({ operation: OPERATIONS[n % OPERATIONS.length] as Operation, killAfterMs }));
}

/** Instance counts per app name. */
type Counts = Map<string, number>;

function countsOf(list: InstanceInfo[]): Counts {
  const counts: Counts = new Map();
  for (const info of list) counts.set(info.name, (counts.get(info.name) ?? 0) + 1);
  return counts;
}

/** The command a round runs against the current apps, and the counts it asks for. */
function commandFor(
  operation: Operation,
  counts: Counts,
  round: number,
): { args: string[]; wanted: Counts; stopsFirst: string | null } {
  const wanted = new Map(counts);
  const names = [...counts.keys()].filter((name) => name !== 'web');
  const target = names[round % Math.max(1, names.length)] ?? 'web';
  switch (operation) {
    case 'start': {
      const name = `app${round}`;
      wanted.set(name, 2);
      return {
        args: ['start', join(FIXTURES, 'idle.js'), '--name', name, '-i', '2', '-x', '--min-uptime', '200ms'],
        wanted,
        stopsFirst: null,
      };
    }
    case 'reload':
      return { args: ['reload', 'web'], wanted, stopsFirst: null };
    case 'save':
      return { args: ['save', '--force'], wanted, stopsFirst: null };
    case 'scale': {
      const to = (counts.get(target) ?? 1) === 1 ? 3 : 1;
      wanted.set(target, to);
      return { args: ['scale', target, String(to)], wanted, stopsFirst: target };
    }
    case 'delete':
      wanted.delete(target);
      return { args: ['delete', target], wanted, stopsFirst: target };
  }
}

/** What is wrong with the apps after a round, or null. */
function countProblem(list: InstanceInfo[], before: Counts, wanted: Counts): string | null {
  const ids = list.map((i) => i.id);
  if (new Set(ids).size !== ids.length) return `an id is listed twice: ${ids.join(',')}`;
  const pids = list.flatMap((i) => (i.pid ? [i.pid] : []));
  if (new Set(pids).size !== pids.length) return `a pid is listed twice: ${pids.join(',')}`;
  const after = countsOf(list);
  for (const name of new Set([...before.keys(), ...wanted.keys(), ...after.keys()])) {
    const got = after.get(name) ?? 0;
    if (got !== (before.get(name) ?? 0) && got !== (wanted.get(name) ?? 0)) {
      return `${name}: ${got} instances, expected ${before.get(name) ?? 0} (before) or ${wanted.get(name) ?? 0} (asked)`;
    }
  }
  return null;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return '';
  }
}

/** Cluster hosts the daemon's state file names. */
function knownHosts(home: string): number[] {
  try {
    const state = JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as { extraProcesses?: { pid: number }[] };
    return (state.extraProcesses ?? []).map((p) => p.pid);
  } catch {
    return [];
  }
}

/** Processes of this home that are neither tend's own, nor a host the state names, nor a listed instance. */
function orphans(tend: TendHarness, list: InstanceInfo[]): number[] {
  const own = [...tend.tendProcessesOfThisHome(), ...tend.holderProcessesOfThisHome(), ...knownHosts(tend.home)];
  const known = new Set([...own, ...list.flatMap((i) => (i.pid ? [i.pid] : []))]);
  return tend.processesOfThisHome().filter((pid) => !known.has(pid) && isAlive(pid));
}

function fileProblem(home: string, name: string): string | null {
  const file = join(home, name);
  if (!existsSync(file)) return null;
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return null;
  } catch (error) {
    return `${name} does not parse: ${(error as Error).message}`;
  }
}

/** Processes left unknown after up to 10 s (an instance being replaced may still be ending). */
async function waitForNoOrphans(tend: TendHarness): Promise<number[]> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const left = orphans(tend, await tend.jlist());
    if (left.length === 0 || performance.now() > deadline) return left;
    await delay(200);
  }
}

/** Kills the daemon that serves `tend` now, and waits until it is gone. */
async function killDaemon(tend: TendHarness): Promise<void> {
  const pid = tend.daemonPid();
  if (pid === null || !isAlive(pid) || !tend.tendProcessesOfThisHome().includes(pid)) return;
  process.kill(pid, 'SIGKILL');
  await until(() => !isAlive(pid), `daemon ${pid} gone`);
}

/** Sets up the apps the rounds work on: a 2-worker cluster app to reload, two fork apps. */
export async function setUpApps(tend: TendHarness): Promise<void> {
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'web', '-i', '2', '--min-uptime', '200ms'], {
    env: { PORT: '0' },
  });
  for (const name of ['one', 'two']) await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', name, '--min-uptime', '200ms']);
}

/**
 * Every instance online; those of `stopping` may be stopped too: delete and scale-down stop
 * instances before they remove them, and a daemon killed in between leaves them stopped.
 */
async function settled(tend: TendHarness, stopping: string | null = null): Promise<InstanceInfo[]> {
  const isSettled = (i: InstanceInfo): boolean => i.status === 'online' || (i.name === stopping && i.status === 'stopped');
  return tend.waitFor((list) => list.every(isSettled), 'every instance online', 60_000);
}

/** A command cut by the SIGKILL, given again as its user would: it must then do what it asked. */
async function repeatIfCut(tend: TendHarness, args: string[], target: string | null, wanted: Counts): Promise<string | null> {
  if (target === null || !(await tend.jlist()).some((i) => i.name === target && i.status === 'stopped')) return null;
  await tend.ok(args);
  const count = countsOf(await settled(tend)).get(target) ?? 0;
  return count === (wanted.get(target) ?? 0) ? null : `${args.join(' ')} given again: ${count} instances of ${target}`;
}

/** Runs `rounds` against the apps of `tend` (see setUpApps). */
export async function runKill9Rounds(tend: TendHarness, rounds: Kill9Round[]): Promise<Kill9Outcome> {
  let finishedFirst = 0;
  for (const [n, round] of rounds.entries()) {
    const before = await settled(tend);
    const counts = countsOf(before);
    const { args, wanted, stopsFirst } = commandFor(round.operation, counts, n);
    let finished = false;
    const command = tend.run(args, { timeoutMs: 60_000 }).finally(() => (finished = true));
    await delay(round.killAfterMs);
    if (finished) finishedFirst += 1;
    await killDaemon(tend);
    await command;
    // The next command brings a daemon back (or the guardian already did).
    const where = `round ${n} (${round.operation}, SIGKILL after ${round.killAfterMs} ms)`;
    let after: InstanceInfo[];
    try {
      after = await settled(tend, stopsFirst);
    } catch (error) {
      const shape = (await tend.jlist()).map((i) => `${i.name}#${i.id} ${i.status} pid ${i.pid} restarts ${i.restarts}`);
      return {
        rounds: n + 1,
        finishedFirst,
        failure: `${where}: not every instance online within 60 s: ${shape.join('; ')} (${String(error).slice(0, 80)})`,
      };
    }
    const problem =
      countProblem(after, counts, wanted) ??
      fileProblem(tend.home, 'state.json') ??
      fileProblem(tend.home, 'dump.json') ??
      (await repeatIfCut(tend, args, stopsFirst, wanted));
    if (problem !== null) return { rounds: n + 1, finishedFirst, failure: `${where}: ${problem}` };
    const strays = await waitForNoOrphans(tend);
    if (strays.length > 0)
      return {
        rounds: n + 1,
        finishedFirst,
        failure: `${where}: orphans ${strays.map((pid) => `${pid} ${commandLine(pid).replaceAll('\0', ' ')}`).join('; ')}`,
      };
  }
  return { rounds: rounds.length, finishedFirst, failure: null };
}
