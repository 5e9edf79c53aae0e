import { dirname } from 'node:path';
import type { AppSpec } from '../core/app-spec.js';
import { TEND_VERSION } from '../core/version.js';
import { commentBlock, IMAGE_WORKDIR, portOf, secondsRoundedUp } from './command.js';
import { READY_PROBE_SCRIPT, runtimeCommand, sharedConfigFile } from './runtime-command.js';
import type { Exporter } from './types.js';

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
    `HEALTHCHECK --interval=5s --timeout=2s --start-period=${secondsRoundedUp(listenMs)}s CMD ${JSON.stringify(['node', '-e', READY_PROBE_SCRIPT])}`,
    `CMD ${JSON.stringify(runtimeCommand(apps, options))}`,
  ];
  const notes = [...headerFor(apps), '', `Build from ${context}: podman build -f Containerfile -t IMAGE ${context}`];
  return [{ name: 'Containerfile', content: commentBlock(notes) + lines.join('\n') + '\n' }];
};

function userOf(spec: AppSpec): string | null {
  if (spec.uid === null) return null;
  return spec.gid === null ? String(spec.uid) : `${spec.uid}:${spec.gid}`;
}
