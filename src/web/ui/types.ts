// Types shared with the daemon; type-only imports vanish from the bundle.
import type { HistoryEntry, InstanceInfo } from '../../core/instance-info.js';
import type { LogLine } from '../../api/types.js';
import type { MetricsEvent, MetricsPoint } from '../../api/web-types.js';

export type { HistoryEntry, InstanceInfo, LogLine, MetricsEvent, MetricsPoint };

export interface ProcessesEvent {
  at: number;
  list: InstanceInfo[];
}

export interface BacklogEvent {
  app: string;
  id: number;
  instance: number;
  lines: Array<{ stream: 'out' | 'err'; line: string }>;
}

export interface DescribedInstance {
  info: InstanceInfo;
  history: HistoryEntry[];
  recentStderr: string[];
}

/** One line in the log pane. */
export interface PaneLine {
  key: number;
  instance: number;
  stream: 'out' | 'err';
  text: string;
}

export type ActionName = 'start' | 'restart' | 'reload' | 'stop' | 'delete';
