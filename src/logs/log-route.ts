/** The daemon's description of one process whose output is captured, and of one line. */
import type { LogSpec } from '../core/app-spec.js';

export interface LogRoute {
  appName: string;
  namespace: string;
  id: number;
  /** Index of this instance within its app (NODE_APP_INSTANCE). */
  instance: number;
  /** The app's instance count: above 1, unmerged files get `-<id>` in their name. */
  instances: number;
  logs: LogSpec;
}

export type { LogLineEvent } from '../core/log-line.js';
