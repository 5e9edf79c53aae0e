import { dirname, relative } from 'node:path';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import type { ExportOptions } from './types.js';

/** Port of tend-runtime's /live and /ready in the image. */
export const HEALTH_PORT = 9615;

/** A probe for images without curl: node asks /ready and exits 0 only on a 2xx. */
export const READY_PROBE_SCRIPT = `fetch('http://127.0.0.1:${HEALTH_PORT}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;

/** The one ecosystem file these apps came from: tend-runtime runs it in the image. */
export function sharedConfigFile(apps: readonly AppSpec[], options: Pick<ExportOptions, 'configFile'>): string {
  const files = new Set(apps.map((a) => a.configFile ?? options.configFile));
  const [file] = files;
  if (files.size !== 1 || !file) {
    throw new TendError('INVALID_ARGUMENT', 'tend-runtime in an image runs apps of one ecosystem file; these apps come from none or several');
  }
  return file;
}

/**
 * `tend-runtime <ecosystem file> --only <apps> [--env] --health-port 9615 [--pre-stop-delay]`,
 * the file relative to the build context (its own folder, /app in the image).
 */
export function runtimeCommand(apps: readonly AppSpec[], options: Pick<ExportOptions, 'configFile' | 'envName'>, preStopDelayMs = 0): string[] {
  const configFile = sharedConfigFile(apps, options);
  return [
    'tend-runtime',
    relative(dirname(configFile), configFile),
    '--only',
    apps.map((a) => a.name).join(','),
    ...(options.envName ? ['--env', options.envName] : []),
    '--health-port',
    String(HEALTH_PORT),
    ...(preStopDelayMs > 0 ? ['--pre-stop-delay', `${preStopDelayMs}ms`] : []),
  ];
}
