import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEntry } from '../../../src/core/instance-info.js';
import { RECENT_RESTARTS_WINDOW_MS, countRecentRestarts } from '../../../src/daemon/recent-restarts.js';

const at = (event: HistoryEntry['event'], when: number, cause: HistoryEntry['cause'] = null): HistoryEntry =>
  ({ at: when, event, pid: null, exitCode: null, signal: null, cause, detail: null });
const NOW = 10_000_000;

test('countRecentRestarts: automatic restarts inside the window count; asked-for ones and older ones do not', () => {
  const history = [
    at('restart-scheduled', NOW - RECENT_RESTARTS_WINDOW_MS - 1, 'crash'),
    at('restart-scheduled', NOW - RECENT_RESTARTS_WINDOW_MS, 'crash'),
    at('exited', NOW - 5000),
    at('restart-scheduled', NOW - 4000, 'crash'),
    at('restart-scheduled', NOW - 3000, 'ready-timeout'),
    at('restart-scheduled', NOW - 2500, 'liveness'),
    at('restart-scheduled', NOW - 2400, 'watchdog'),
    at('restart-scheduled', NOW - 2300, 'memory'),
    at('restart-scheduled', NOW - 2000, 'cron'),
    at('restart-scheduled', NOW - 1000, 'watch'),
    at('stopped', NOW - 500, 'manual'),
    at('started', NOW - 400),
  ];
  assert.equal(countRecentRestarts(history, NOW), 6);
  assert.equal(countRecentRestarts([], NOW), 0);
  assert.equal(countRecentRestarts(history, NOW + RECENT_RESTARTS_WINDOW_MS), 0, 'five quiet minutes later: settled');
});
