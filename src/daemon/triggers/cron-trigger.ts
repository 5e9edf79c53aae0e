import { Cron } from 'croner';
import { TendError } from '../../core/errors.js';

export interface CronTriggerOptions {
  /** IANA zone such as "Europe/Paris"; the host's zone when absent. */
  timezone?: string;
}

/**
 * Parses the pattern once, so an invalid `cron_restart` fails when the app is started, with
 * the pattern named, rather than never firing. Five fields (minutes) or six (with seconds).
 */
function createCron(pattern: string, options: CronTriggerOptions, run?: () => void): Cron {
  const cronOptions = { ...(options.timezone ? { timezone: options.timezone } : {}), unref: true };
  try {
    const job = run ? new Cron(pattern, cronOptions, run) : new Cron(pattern, cronOptions);
    // croner accepts an unknown zone at construction and fails at the first computation.
    job.nextRun();
    return job;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const zone = options.timezone ? ` in time zone ${JSON.stringify(options.timezone)}` : '';
    throw new TendError('CONFIG_INVALID', `cron_restart: invalid pattern ${JSON.stringify(pattern)}${zone}: ${detail}`, { cause: error });
  }
}

/** The next `count` times `pattern` fires strictly after `from`. Pure; for tests and `describe`. */
export function nextRunTimes(pattern: string, from: Date, count: number, options: CronTriggerOptions = {}): Date[] {
  const job = createCron(pattern, options);
  try {
    return job.nextRuns(count, from);
  } finally {
    job.stop();
  }
}

/** Calls its listeners at every time the pattern gives, until stopped. */
export class CronTrigger {
  private readonly job: Cron;
  private readonly listeners = new Set<(at: Date) => void>();

  constructor(pattern: string, options: CronTriggerOptions = {}) {
    this.job = createCron(pattern, options, () => this.fire());
  }

  onFire(listener: (at: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When the next firing is due, or null once stopped. */
  nextRun(): Date | null {
    return this.job.nextRun();
  }

  stop(): void {
    this.job.stop();
    this.listeners.clear();
  }

  private fire(): void {
    const at = new Date();
    for (const listener of this.listeners) listener(at);
  }
}
