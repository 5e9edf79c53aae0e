import { TendError } from '../core/errors.js';
import type { WebStatus } from '../core/web.js';
import type { HandlerTable } from '../ipc/handler-binding.js';
import { PROMETHEUS_CONTENT_TYPE, formatPrometheus } from '../metrics/prometheus.js';
import type { HostSample, Sample } from '../metrics/sampler.js';
import { type AppMetricsInput, buildTendMetrics } from '../metrics/tend-metrics.js';
import type { Supervisor } from './supervisor.js';
import {
  DEFAULT_WEB_HOST,
  DEFAULT_WEB_PORT,
  type WebAddress,
  type WebController,
  isLoopbackHost,
  readOrCreateWebToken,
  readWebConfig,
} from './web-controller.js';

export interface WebHandlerDeps {
  home: string;
  supervisor: Supervisor;
  /** Absent when the daemon was started without the dashboard (e.g. in unit tests). */
  web: WebController | null;
  history(id: number): readonly Sample[];
  host(): HostSample | null;
}

type WebMethod = 'web.start' | 'web.stop' | 'web.status' | 'metrics.history' | 'metrics.host' | 'metrics.prometheus';

/** The dashboard and metrics methods, merged into the daemon's method table. */
export function createWebHandlers(deps: WebHandlerDeps): Pick<HandlerTable, WebMethod> {
  return {
    'web.start': async (p) => startWeb(deps, { port: p.port ?? DEFAULT_WEB_PORT, host: p.host ?? DEFAULT_WEB_HOST, allowRemote: p.allowRemote === true }),
    'web.stop': async () => {
      await deps.web?.stop();
      return statusReply(deps, null);
    },
    'web.status': () => statusReply(deps, deps.web?.status() ?? null),
    'metrics.history': ({ id }) => [...deps.history(id)],
    'metrics.host': () => deps.host(),
    'metrics.prometheus': () => ({ contentType: PROMETHEUS_CONTENT_TYPE, text: renderMetrics(deps.supervisor) }),
  };
}

export async function startWeb(
  deps: WebHandlerDeps,
  options: { port: number; host: string; allowRemote: boolean },
): Promise<WebStatus> {
  const web = deps.web;
  if (!web) throw new TendError('INVALID_ARGUMENT', 'this daemon was started without the web dashboard');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new TendError('INVALID_ARGUMENT', `web port must be 0-65535, got ${options.port}`);
  }
  // Binding beyond loopback exposes process control to the network: only on explicit request.
  if (!isLoopbackHost(options.host) && !options.allowRemote) {
    throw new TendError('INVALID_ARGUMENT', `refusing to serve on ${options.host}, which is not loopback, without --allow-remote`);
  }
  const current = web.status();
  if (current && current.host === options.host && (options.port === 0 || current.port === options.port)) {
    return statusReply(deps, current);
  }
  const token = readOrCreateWebToken(deps.home);
  if (current) await web.stop();
  try {
    return statusReply(deps, await web.start({ port: options.port, host: options.host, token }));
  } catch (error) {
    if (!current) throw error;
    // A move that fails (the new port is busy) keeps the dashboard where it was.
    const back = await web.start({ port: current.port, host: current.host, token });
    const reason = error instanceof Error ? error.message : String(error);
    throw new TendError('START_FAILED', `cannot serve on ${options.host}:${options.port} (${reason}); the dashboard stays on ${back.url}`, { cause: error });
  }
}

/** Starts the dashboard when TEND_HOME/config.json says `web.enabled`; returns why it did not. */
export async function startWebFromConfig(deps: WebHandlerDeps): Promise<WebStatus | null> {
  const config = readWebConfig(deps.home);
  if (!config?.enabled) return null;
  return startWeb(deps, config);
}

function statusReply(deps: WebHandlerDeps, address: WebAddress | null): WebStatus {
  const tokenFile = `${deps.home}/web.token`;
  if (!address) return { running: false, host: null, port: null, url: null, tokenUrl: null, tokenFile };
  const token = readOrCreateWebToken(deps.home);
  return { running: true, ...address, tokenUrl: `${address.url}?token=${encodeURIComponent(token)}`, tokenFile };
}

function renderMetrics(supervisor: Supervisor): string {
  const apps: AppMetricsInput[] = [];
  for (const name of supervisor.appNames()) {
    const entry = supervisor.app(name);
    if (entry) apps.push({ name, namespace: entry.record.spec.namespace, configuredInstances: entry.record.spec.instances });
  }
  return formatPrometheus(buildTendMetrics(supervisor.list(), apps, { memoryBytes: process.memoryUsage().rss }));
}
