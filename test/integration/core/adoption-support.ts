/** Helpers for the adoption tests: a client that polls an HTTP app, numbered-line checks, daemon age. */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { GUARDIAN_MIN_RUN_S } from '../../../src/api/daemon-guardian.js';
import { CLOCK_TICKS_PER_SECOND, readProcStat } from '../../../src/metrics/proc-stat.js';
import { type TendHarness, isAlive, until } from '../../helpers/tend-harness.js';

/**
 * Polls `port` every `everyMs` until stopped; counts answers and failures from the first
 * answer on (the app may still be booting when it is online by min_uptime).
 */
export async function pollHttp(port: number, everyMs = 20): Promise<{ stop(): Promise<{ ok: number; failed: number; errors: string[] }> }> {
  let ok = 0;
  let failed = 0;
  const errors: string[] = [];
  let running = true;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok += 1;
          else failed += 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        failed += 1;
        errors.push(error.message);
        resolve();
      });
      req.end();
    });
  await until(async () => {
    await once();
    return ok > 0;
  }, `an answer on port ${port}`);
  failed = 0;
  errors.length = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await once();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ok, failed, errors: errors.slice(0, 5) };
    },
  };
}

/** The number at the start of each line of `file` (a numbered-line logger's log). */
export function readNumberedLines(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => Number.parseInt(l, 10));
}

/** The numbers at the start of each line of `file`, checked to be 0, 1, 2 ... exactly once each. */
export function checkNumberedLines(file: string): { lines: number; problems: string[] } {
  const numbers = readNumberedLines(file);
  const problems: string[] = [];
  numbers.forEach((n, k) => {
    if (n !== k && problems.length < 5) problems.push(`line ${k} is ${n}`);
  });
  return { lines: numbers.length, problems };
}

/** The most lines one chunk in hand at a SIGKILL may hold in these tests (200 ms of a 10 ms logger). */
export const MAX_LINES_IN_HAND = 20;

/**
 * The numbered lines of a log whose daemon was SIGKILLed once, checked against what tend
 * promises (README, "Logs"): every line at most once and in order, and every one there but for
 * the chunk the daemon had read and not yet written when it died: at most one run of
 * MAX_LINES_IN_HAND lines, from `linesBeforeKill` (the file's line count just before the
 * kill) to a second's worth of lines after it. On a loaded machine about one SIGKILL in 25
 * loses such a chunk; the rest of the log, before the kill and after the adoption, loses nothing.
 */
export function checkNumberedLinesAcrossKill(file: string, linesBeforeKill: number): { lines: number; lost: number; problems: string[] } {
  const numbers = readNumberedLines(file);
  const problems: string[] = [];
  const gaps: Array<[number, number]> = [];
  numbers.forEach((n, k) => {
    const previous = k === 0 ? -1 : (numbers[k - 1] as number);
    if (!(n > previous) && problems.length < 5) problems.push(`line ${k} is ${n}, after ${previous}`);
    else if (n > previous + 1) gaps.push([previous + 1, n - 1]);
  });
  const lost = gaps.reduce((sum, [from, to]) => sum + to - from + 1, 0);
  const atTheKill = ([from, to]: [number, number]): boolean => from >= linesBeforeKill && from <= linesBeforeKill + 100 && to - from + 1 <= MAX_LINES_IN_HAND;
  if (gaps.length > 1 || (gaps.length === 1 && !atTheKill(gaps[0] as [number, number]))) {
    problems.push(`lines missing: ${gaps.map(([from, to]) => `${from}-${to}`).join(', ')} (the kill came after line ${linesBeforeKill})`);
  }
  return { lines: numbers.length, lost, problems };
}

/** Waits until the daemon has run long enough that its guardian starts it again when it dies. */
export async function waitDaemonPastGuardianWindow(tend: TendHarness): Promise<number> {
  const pid = tend.daemonPid();
  if (pid === null) throw new Error('no daemon');
  const uptimeS = (): number => {
    const stat = readProcStat(pid);
    const boot = Number(/btime (\d+)/.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return stat === null ? 0 : Date.now() / 1000 - (boot + stat.startTimeTicks / CLOCK_TICKS_PER_SECOND);
  };
  await until(() => uptimeS() > GUARDIAN_MIN_RUN_S + 0.5, 'the daemon past its guardian window', 10_000);
  return pid;
}

/** Waits for a daemon other than `old` to be running and answering. */
export async function waitNewDaemon(tend: TendHarness, old: number): Promise<number> {
  await until(() => !isAlive(old), 'the old daemon gone');
  const fresh = await until(() => {
    const pid = tend.daemonPid();
    return pid !== null && pid !== old && isAlive(pid) ? pid : undefined;
  }, 'a new daemon', 20_000);
  await tend.jlist();
  return fresh;
}

/** The guardian shell of this home (the loop that starts a crashed daemon again). */
export function guardianPids(tend: TendHarness): number[] {
  return tend.tendProcessesOfThisHome().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('tend-guardian'));
}
