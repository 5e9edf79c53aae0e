/** Replies of the dashboard and metrics methods (`web.*`, `metrics.*`), as the daemon sends them. */
import type { HostSample, Sample } from '../core/metrics-sample.js';
import type { MetricsEvent, WebStatus } from '../core/web.js';
import type { ParamsOf } from '../ipc/methods.js';

export type { MetricsEvent, WebStatus };
export type { PrometheusPage } from '../ipc/replies.js';

/** `port` (default 9615; 0 picks a free one), `host` (default 127.0.0.1), `allowRemote` (needed beyond loopback). */
export type WebStartOptions = ParamsOf<'web.start'>;
/** One sample of an instance's process tree. */
export type MetricsPoint = Sample;
export type HostMetrics = HostSample;
