import { stringify } from 'yaml';
import type { AppSpec } from '../core/app-spec.js';
import { commentBlock, YAML_OPTIONS, IMAGE_WORKDIR, imageCommand, objectName, portOf } from './command.js';
import { READY_PROBE_SCRIPT, runtimeCommand } from './runtime-command.js';
import { splitEnv } from './secrets.js';
import type { ExportOptions, Exporter } from './types.js';

/** Compose: one service per app, in one compose.yaml. */
export const exportCompose: Exporter = (apps, options, headerFor) => {
  const services = Object.fromEntries(apps.map((spec) => [objectName(spec.name), service(spec, options)]));
  return [{ name: 'compose.yaml', content: commentBlock(headerFor(apps)) + stringify({ services }, YAML_OPTIONS) }];
};

function service(spec: AppSpec, options: ExportOptions): Record<string, unknown> {
  return options.runtime ? runtimeService(spec, options) : directService(spec, options);
}

/** Under tend-runtime, from an image built by `tend export containerfile`: one container per app. */
function runtimeService(spec: AppSpec, options: ExportOptions): Record<string, unknown> {
  const port = portOf(spec);
  const secrets = splitEnv(spec.env).secretNames;
  return {
    image: options.image,
    command: runtimeCommand([spec], options),
    working_dir: IMAGE_WORKDIR,
    ...(secrets.length > 0 ? { environment: secretReferences(secrets) } : {}),
    ...(port !== null ? { ports: [`${port}:${port}`] } : {}),
    restart: restartPolicy(spec),
    stop_signal: 'SIGTERM',
    stop_grace_period: `${spec.killTimeoutMs + 1000}ms`,
    healthcheck: { test: ['CMD', 'node', '-e', READY_PROBE_SCRIPT], interval: '2s', timeout: '2s', retries: 3, start_period: `${spec.listenTimeoutMs}ms` },
    ...(spec.autostart ? {} : { deploy: { replicas: 0 } }),
    ...dependsOn(spec),
  };
}

/** depends_on: the dependency's container is started first (compose orders by start, not by readiness). */
function dependsOn(spec: AppSpec): Record<string, unknown> {
  const names = spec.dependsOn ?? [];
  if (names.length === 0) return {};
  return { depends_on: Object.fromEntries(names.map((name) => [name, { condition: 'service_started' }])) };
}

/** Secrets come from the shell that runs `docker compose up`; compose refuses to start without them. */
function secretReferences(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, `\${${name}:?set ${name} in the environment}`]));
}

function directService(spec: AppSpec, options: ExportOptions): Record<string, unknown> {
  const env = splitEnv(spec.env);
  const environment = { ...mapValues(env.plain, escapeInterpolation), ...secretReferences(env.secretNames) };
  if (spec.instances > 1) environment[spec.instanceVar] = '0';
  const port = portOf(spec);
  const user = spec.uid !== null ? `${spec.uid}${spec.gid !== null ? `:${spec.gid}` : ''}` : null;
  return {
    image: options.image,
    command: imageCommand(spec).map(escapeInterpolation),
    working_dir: IMAGE_WORKDIR,
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
    ...(port !== null ? { ports: [spec.instances > 1 ? `${port}` : `${port}:${port}`] } : {}),
    ...(user !== null ? { user } : {}),
    restart: restartPolicy(spec),
    stop_signal: spec.killSignal,
    stop_grace_period: `${spec.killTimeoutMs}ms`,
    ...(spec.waitReady && port !== null ? { healthcheck: healthcheck(port, spec.listenTimeoutMs) } : {}),
    ...(spec.maxMemoryRestartBytes !== null || spec.instances > 1 || !spec.autostart ? { deploy: deploy(spec) } : {}),
    ...(spec.namespace !== 'default' ? { labels: { 'tend.namespace': spec.namespace } } : {}),
    ...dependsOn(spec),
    ...(spec.logs.maxSizeBytes > 0 ? { logging: { driver: 'json-file', options: { 'max-size': String(spec.logs.maxSizeBytes), 'max-file': String(spec.logs.retain + 1) } } } : {}),
  };
}

function mapValues(record: Record<string, string>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, map(v)]));
}

/** A literal `$` in a compose value must be written `$$`. */
function escapeInterpolation(value: string): string {
  return value.replaceAll('$', '$$$$');
}

/** tend restarts on any exit, 0 included, as Docker's unless-stopped does. */
function restartPolicy(spec: AppSpec): string {
  return spec.autorestart ? 'unless-stopped' : 'no';
}

function deploy(spec: AppSpec): Record<string, unknown> {
  return {
    replicas: spec.autostart ? spec.instances : 0,
    ...(spec.maxMemoryRestartBytes !== null ? { resources: { limits: { memory: String(spec.maxMemoryRestartBytes) } } } : {}),
  };
}

/** No curl in most images: node itself tries to connect to the port. */
function healthcheck(port: number, listenTimeoutMs: number): Record<string, unknown> {
  const probe = `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`;
  return { test: ['CMD', 'node', '-e', probe], interval: '1s', timeout: '1s', retries: 3, start_period: `${listenTimeoutMs}ms` };
}
