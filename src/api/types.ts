import type { LogLineEvent } from '../core/log-line.js';
import type { DescribeResult } from '../core/instance-info.js';

export type { DescribeResult };
export type { LogsTailResult, ReloadResult } from '../ipc/replies.js';

/** A `log` event: one line of an app's output. */
export type LogLine = LogLineEvent;
