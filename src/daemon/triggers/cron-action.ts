import type { HistoryEntry } from '../../core/instance-info.js';
import type { StateName } from '../lifecycle/states.js';

export type CronAction = 'restart' | 'start' | 'leave';

/**
 * What a `cron_restart` firing does to one instance. A running one is restarted. One at rest
 * that ended by itself (a job with `autorestart: false` that finished, one that crashed until
 * errored) or that never ran (`autostart: false`) is started: the schedule is how such a job
 * runs. One the user stopped with `tend stop` stays stopped until `tend start` (PM2 starts it
 * again); one stopping, that could not be stopped, or that waits for its dependencies (it starts
 * when they are online) is left to what it is doing.
 */
export function decideCronAction(state: StateName, lastEvent: HistoryEntry['event'] | undefined): CronAction {
  switch (state) {
    case 'spawning':
    case 'starting':
    case 'online':
    case 'waiting':
      return 'restart';
    case 'exited':
    case 'errored':
      return 'start';
    case 'stopped':
      return lastEvent === 'stopped' ? 'leave' : 'start';
    case 'blocked':
    case 'failing':
    case 'stopping':
    case 'killing':
    case 'unkillable':
      return 'leave';
  }
}
