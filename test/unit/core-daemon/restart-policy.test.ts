import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartBudget } from '../../../src/daemon/lifecycle/restart-budget.js';
import { CRASH_LOOP_MAX_DELAY_MS, type ExitFacts, INITIAL_HISTORY, type RestartHistory, crashLoopDelayMs, decideOnExit, nextBackoffDelayMs } from '../../../src/daemon/restart-policy.js';

const SPEC = {
  autorestart: true,
  stopExitCodes: [] as number[],
  minUptimeMs: 1000,
  maxRestarts: 16,
  restartDelayMs: 0,
  expBackoffRestartDelayMs: 0,
};
type Spec = typeof SPEC;
const crash = (extra: Partial<ExitFacts> = {}): ExitFacts => ({ code: 1, signal: null, uptimeMs: 5000, failedStart: false, ...extra });

const cases: Array<{ name: string; spec?: Partial<Spec>; history?: RestartHistory; exit: ExitFacts; action: string; delayMs?: number; unstable?: number }> = [
  { name: 'a stable crash restarts at once and clears the unstable count', history: { unstableRestarts: 5, lastBackoffDelayMs: 0 }, exit: crash(), action: 'restart', delayMs: 0, unstable: 0 },
  { name: 'a short run counts as unstable', exit: crash({ uptimeMs: 10 }), action: 'restart', unstable: 1 },
  { name: 'a failed start counts as unstable whatever its uptime', exit: crash({ failedStart: true }), action: 'restart', unstable: 1 },
  { name: 'restart_delay is used', spec: { restartDelayMs: 250 }, exit: crash(), action: 'restart', delayMs: 250 },
  { name: 'an exit code in stop_exit_codes is done', spec: { stopExitCodes: [0, 5] }, exit: crash({ code: 5 }), action: 'done' },
  { name: 'stop_exit_codes do not apply to a failed start', spec: { stopExitCodes: [1] }, exit: crash({ failedStart: true }), action: 'restart' },
  { name: 'a signal is not an exit code', spec: { stopExitCodes: [0] }, exit: crash({ code: null, signal: 'SIGKILL' }), action: 'restart' },
  { name: 'autorestart false is done, even for a crash', spec: { autorestart: false }, exit: crash({ uptimeMs: 1 }), action: 'done' },
  { name: 'max_restarts unstable restarts are still allowed', spec: { maxRestarts: 3 }, history: { unstableRestarts: 2, lastBackoffDelayMs: 0 }, exit: crash({ uptimeMs: 1 }), action: 'restart', unstable: 3 },
  { name: 'one more than max_restarts gives up', spec: { maxRestarts: 3 }, history: { unstableRestarts: 3, lastBackoffDelayMs: 0 }, exit: crash({ uptimeMs: 1 }), action: 'give-up', unstable: 4 },
  { name: 'max_restarts 0 gives up on the first unstable exit', spec: { maxRestarts: 0 }, exit: crash({ uptimeMs: 1 }), action: 'give-up' },
  { name: 'a stable run after many unstable ones never gives up', spec: { maxRestarts: 3 }, history: { unstableRestarts: 3, lastBackoffDelayMs: 0 }, exit: crash({ uptimeMs: 2000 }), action: 'restart', unstable: 0 },
  { name: 'the first backoff restart uses the initial delay', spec: { expBackoffRestartDelayMs: 100 }, exit: crash(), action: 'restart', delayMs: 100 },
  { name: 'the next backoff restart is 1.5x', spec: { expBackoffRestartDelayMs: 100 }, history: { unstableRestarts: 0, lastBackoffDelayMs: 100 }, exit: crash(), action: 'restart', delayMs: 150 },
  { name: 'restart_delay wins when larger than the backoff', spec: { expBackoffRestartDelayMs: 100, restartDelayMs: 400 }, history: { unstableRestarts: 0, lastBackoffDelayMs: 100 }, exit: crash(), action: 'restart', delayMs: 400 },
];

for (const c of cases) {
  test(`decideOnExit: ${c.name}`, () => {
    const decision = decideOnExit({ ...SPEC, ...c.spec }, c.history ?? INITIAL_HISTORY, c.exit);
    assert.equal(decision.action, c.action);
    if (c.delayMs !== undefined) assert.equal(decision.action === 'restart' ? decision.delayMs : -1, c.delayMs);
    if (c.unstable !== undefined) assert.equal(decision.history.unstableRestarts, c.unstable);
    if (decision.action !== 'restart') assert.ok(decision.reason.length > 0, 'a reason is given');
  });
}

test('decideOnExit: the give-up reason names max_restarts and min_uptime', () => {
  const decision = decideOnExit({ ...SPEC, maxRestarts: 2, minUptimeMs: 500 }, { unstableRestarts: 2, lastBackoffDelayMs: 0 }, crash({ uptimeMs: 1 }));
  assert.equal(decision.action, 'give-up');
  assert.match(decision.action === 'give-up' ? decision.reason : '', /2 times.*500 ms/);
});

const backoff: Array<[name: string, initialMs: number, lastMs: number, uptimeMs: number, expected: number]> = [
  ['off', 0, 0, 0, 0],
  ['off, whatever came before', 0, 900, 0, 0],
  ['first delay', 100, 0, 0, 100],
  ['x1.5', 100, 100, 0, 150],
  ['x1.5 again', 100, 150, 0, 225],
  ['capped at 15 s', 100, 12_000, 0, 15_000],
  ['stays at the cap', 100, 15_000, 0, 15_000],
  ['an initial delay above the cap is kept', 20_000, 20_000, 0, 20_000],
  ['29.9 s up does not reset', 100, 1000, 29_999, 1500],
  ['30 s up resets to the initial delay', 100, 15_000, 30_000, 100],
];
for (const [name, initialMs, lastMs, uptimeMs, expected] of backoff) {
  test(`nextBackoffDelayMs: ${name}`, () => {
    assert.equal(nextBackoffDelayMs(initialMs, lastMs, uptimeMs), expected);
  });
}

test('nextBackoffDelayMs: a crash loop climbs 100, 150, 225, ... and stops at 15 s', () => {
  let last = 0;
  const seen: number[] = [];
  for (let n = 0; n < 20; n += 1) {
    last = nextBackoffDelayMs(100, last, 10);
    seen.push(last);
  }
  assert.deepEqual(seen.slice(0, 4), [100, 150, 225, 338]);
  assert.equal(seen.at(-1), 15_000);
  assert.ok(seen.every((d, i) => i === 0 || d >= (seen[i - 1] ?? 0)), 'never decreases');
});

test('crashLoopDelayMs: a single crash restarts at once; a loop waits 100 ms doubling up to 2 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 50].map(crashLoopDelayMs), [0, 0, 100, 200, 400, 800, 1600, 2000, 2000]);
});

test('decideOnExit: the crash-loop delay applies whatever max_restarts says', () => {
  const decision = decideOnExit({ ...SPEC, maxRestarts: 1_000_000 }, { unstableRestarts: 500, lastBackoffDelayMs: 0 }, crash({ uptimeMs: 1 }));
  assert.equal(decision.action === 'restart' ? decision.delayMs : -1, CRASH_LOOP_MAX_DELAY_MS);
});

test('RestartBudget: a burst goes at once, then restarts are spaced at the daemon-wide rate', () => {
  const budget = new RestartBudget(10, 3);
  assert.deepEqual([0, 0, 0, 0, 0].map(() => budget.reserve(1000, 0)), [0, 0, 0, 100, 200]);
  assert.equal(budget.reserve(1000, 5000), 5000, 'a restart wanted later than the pace keeps its own delay');
  assert.equal(new RestartBudget(10, 3).reserve(0, 250), 250);
});
