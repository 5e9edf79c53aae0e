import type { LogLineEvent } from '../core/log-line.js';
import type { DescribeResult, InstanceInfo } from '../core/instance-info.js';

export type { DescribeResult };

export interface LogsTailResult {
  id: number;
  name: string;
  instance: number;
  out: string[];
  err: string[];
  /** Older lines were left out: the reply holds about 4 MiB of text at most. */
  truncated?: boolean;
}

export interface ReloadResult {
  instances: InstanceInfo[];
  /** Fork-mode apps, restarted because only cluster apps can hand over connections. */
  restartedForkApps: string[];
}

/** A `log` event: one line of an app's output. */
export type LogLine = LogLineEvent;
