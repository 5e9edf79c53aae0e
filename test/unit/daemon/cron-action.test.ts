import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEntry } from '../../../src/core/instance-info.js';
import type { StateName } from '../../../src/daemon/lifecycle/states.js';
import { type CronAction, decideCronAction } from '../../../src/daemon/triggers/cron-action.js';

const cases: Array<[StateName, HistoryEntry['event'] | undefined, CronAction, string]> = [
  ['online', 'started', 'restart', 'a running instance is restarted'],
  ['starting', 'started', 'restart', 'one starting too'],
  ['waiting', 'restart-scheduled', 'restart', 'a scheduled restart is brought forward'],
  ['spawning', 'restart-scheduled', 'restart', 'a spawn under way'],
  ['exited', 'exited', 'start', 'a job that finished (autorestart off) runs again'],
  ['errored', 'errored', 'start', 'one that crashed until errored gets a fresh start'],
  ['stopped', undefined, 'start', 'never ran (autostart: false): the schedule starts it'],
  ['stopped', 'exited', 'start', 'restored at rest after a daemon restart, last seen exiting'],
  ['stopped', 'stopped', 'leave', 'the user stopped it: it stays stopped'],
  ['stopping', 'started', 'leave', 'a stop under way is not overridden'],
  ['killing', 'started', 'leave', 'nor a kill'],
  ['failing', 'started', 'leave', 'a failed start is being handled by the policy'],
  ['unkillable', 'errored', 'leave', 'a process that could not be stopped is never started again'],
  ['blocked', undefined, 'leave', 'an app waiting for its dependencies starts when they are online, not at the cron time'],
];

test('decideCronAction: what a cron_restart firing does to an instance in each state', () => {
  for (const [state, last, expected, why] of cases) assert.equal(decideCronAction(state, last), expected, `${state}/${last ?? 'none'}: ${why}`);
});
