import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECENT_WINDOW_MS, restartBadge } from '../../../src/web/ui/restart-badge.js';

test('restartBadge: settled, unsettled after a restart, a crash loop from three; stale counts expire with the uptime', () => {
  const cases: Array<[Parameters<typeof restartBadge>[0], string, string]> = [
    [{ status: 'online', uptime_ms: 5000, recent_restarts: 0 }, 'settled', ''],
    [{ status: 'online', uptime_ms: 5000 }, 'settled', ''],
    [{ status: 'online', uptime_ms: 5000, recent_restarts: 1 }, 'unsettled', 'restarted 1× in 5 min'],
    [{ status: 'launching', uptime_ms: 0, recent_restarts: 3 }, 'crash-loop', 'crash loop: 3 restarts in 5 min'],
    [{ status: 'waiting', uptime_ms: 0, recent_restarts: 7 }, 'crash-loop', 'crash loop: 7 restarts in 5 min'],
    [{ status: 'online', uptime_ms: RECENT_WINDOW_MS, recent_restarts: 7 }, 'settled', ''],
    [{ status: 'errored', uptime_ms: 0, recent_restarts: 16 }, 'settled', ''],
    [{ status: 'stopped', uptime_ms: 0, recent_restarts: 2 }, 'settled', ''],
  ];
  for (const [row, level, text] of cases) assert.deepEqual(restartBadge(row), { level, text }, JSON.stringify(row));
});
