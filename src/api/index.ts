/** tend's programmatic API. */
export { TendClient } from './client.js';
export type { ConnectOptions, RestartOptions } from './client.js';
export { resolveStart, isConfigTarget } from './resolve-start.js';
export type { ResolvedStart, StartInput } from './resolve-start.js';
export type { DescribeResult, LogLine, LogsTailResult, ReloadResult } from './types.js';
export type { ClearDumpResult, DumpAddResult, ResurrectResult, SaveResult } from '../core/persistence.js';
export { updateDaemon, type UpdateResult } from './update-daemon.js';
export type { HostMetrics, MetricsEvent, MetricsPoint, PrometheusPage, WebStartOptions, WebStatus } from './web-types.js';
export type { AppSpec, ExecMode, LogSpec } from '../core/app-spec.js';
export type { InstanceInfo, HistoryEntry, RestartCause } from '../core/instance-info.js';
export type { PublicStatus } from '../core/status.js';
export { TendError } from '../core/errors.js';
export type { ErrorCode } from '../core/errors.js';
export { defineConfig } from '../config/index.js';
export type { AppConfig, EcosystemConfig } from '../config/index.js';
