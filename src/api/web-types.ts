/** Replies of the dashboard and metrics methods (`web.*`, `metrics.*`), as the daemon sends them. */
import type { MetricsEvent, WebStatus } from '../core/web.js';

export type { MetricsEvent, WebStatus };

export interface WebStartOptions {
  /** Default 9615; 0 picks a free port (the reply says which). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Required to bind anything but loopback. */
  allowRemote?: boolean;
}

/** One sample of an instance's process tree. */
export interface MetricsPoint {
  cpuPercent: number;
  memoryBytes: number;
  /** ms since the epoch. */
  at: number;
}

export interface HostMetrics {
  cpuPercent: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  at: number;
}

export interface PrometheusPage {
  contentType: string;
  text: string;
}
