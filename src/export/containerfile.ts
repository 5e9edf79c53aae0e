import { dirname, relative } from 'node:path';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { TEND_VERSION } from '../core/version.js';
import { commentBlock, IMAGE_WORKDIR, portOf, secondsRoundedUp } from './command.js';
import type { Exporter, ExportOptions } from './types.js';

/** Port of tend-runtime's /live and /ready in the image. */
export const HEALTH_PORT = 9615;
const NODE_IMAGE = 'node:20-slim';

/**
 * A Containerfile that runs the apps under tend-runtime as PID 1 (its shell launcher reaps
 * orphans), from the ecosystem file they came from: every option tend runs keeps its meaning.
 * The build context is the ecosystem file's folder.
 */
export const exportContainerfile: Exporter = (apps, options, headerFor) => {
  const configFile = sharedConfigFile(apps, options);
  const context = dirname(configFile);
  const ports = [...new Set(apps.map(portOf).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  const users = [...new Set(apps.map(userOf))];
  const listenMs = Math.max(...apps.map((a) => (a.waitReady ? a.listenTimeoutMs : a.minUptimeMs)));
  const cmd = ['tend-runtime', relative(context, configFile), '--only', apps.map((a) => a.name).join(','), ...(options.envName ? ['--env', options.envName] : []), '--health-port', String(HEALTH_PORT)];
  const ready = `fetch('http://127.0.0.1:${HEALTH_PORT}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  const lines = [
    `FROM ${NODE_IMAGE}`,
    `WORKDIR ${IMAGE_WORKDIR}`,
    `RUN npm install --global --omit=dev tend@${TEND_VERSION}`,
    'COPY . .',
    'RUN if [ -f package-lock.json ]; then npm ci --omit=dev; fi',
    ...(users.length === 1 && users[0] ? [`USER ${users[0]}`] : []),
    ...ports.map((port) => `EXPOSE ${port}`),
    // tend-runtime stops every app with its own kill_signal and kill_timeout on SIGTERM.
    'STOPSIGNAL SIGTERM',
    `HEALTHCHECK --interval=5s --timeout=2s --start-period=${secondsRoundedUp(listenMs)}s CMD ${JSON.stringify(['node', '-e', ready])}`,
    `CMD ${JSON.stringify(cmd)}`,
  ];
  const notes = [...headerFor(apps), '', `Build from ${context}: podman build -f Containerfile -t IMAGE ${context}`];
  return [{ name: 'Containerfile', content: commentBlock(notes) + lines.join('\n') + '\n' }];
};

function sharedConfigFile(apps: readonly AppSpec[], options: ExportOptions): string {
  const files = new Set(apps.map((a) => a.configFile ?? options.configFile));
  const [file] = files;
  if (files.size !== 1 || !file) {
    throw new TendError('INVALID_ARGUMENT', 'containerfile exports apps of one ecosystem file (tend-runtime runs it in the image); these apps come from none or several');
  }
  return file;
}

function userOf(spec: AppSpec): string | null {
  if (spec.uid === null) return null;
  return spec.gid === null ? String(spec.uid) : `${spec.uid}:${spec.gid}`;
}
