/** Log capture, files, rotation and tailing: the API the daemon uses. */
export { LogManager, DEFAULT_CLOSE_WAIT_MS, type LogManagerOptions, type LogStats } from './log-manager.js';
export type { InstanceLogSink } from './instance-sink.js';
export type { LogRoute, LogLineEvent } from './log-route.js';
export { resolveLogPath } from './log-path.js';
export { type LastLines, readLastLines } from './read-last-lines.js';
export { createDaemonLogger, type DaemonLogger, type DaemonLoggerOptions, type LogLevel, type LogFields } from './daemon-logger.js';
export {
  resolveRotation,
  isRotatedFileOf,
  DEFAULT_RETAIN,
  type RotationOptions,
} from './rotation-policy.js';
export { formatTimestamp, DEFAULT_DATE_FORMAT } from './timestamp-format.js';
export { DEFAULT_MAX_LINE_BYTES } from './line-framer.js';
export { DEFAULT_HIGH_WATER_BYTES, DEFAULT_RETRY_DELAY_MS } from './file-writer.js';
