import { stringify } from 'yaml';
import type { AppSpec, ProbeSpec } from '../core/app-spec.js';
import { commentBlock, YAML_OPTIONS, IMAGE_WORKDIR, imageCommand, objectName, portOf, secondsRoundedUp } from './command.js';
import { cronRestartObjects } from './kubernetes-cron.js';
import { HEALTH_PORT, runtimeCommand } from './runtime-command.js';
import { splitEnv } from './secrets.js';
import type { ExportOptions, Exporter } from './types.js';

type K8sObject = Record<string, unknown>;

/** Time a terminating pod keeps serving while Services stop routing to it (the endpoint race). */
export const RUNTIME_PRE_STOP_DELAY_MS = 5000;

/** Kubernetes: per app a ConfigMap for its env, a Deployment, and a Service when it has a port. */
export const exportKubernetes: Exporter = (apps, options, headerFor) => {
  const objects = apps.flatMap((spec) => appObjects(spec, options));
  const body = objects.map((object) => stringify(object, YAML_OPTIONS)).join('---\n');
  return [{ name: 'kubernetes.yaml', content: commentBlock([...headerFor(apps), ...apps.flatMap(secretHint)]) + body }];
};

function appObjects(spec: AppSpec, options: ExportOptions): K8sObject[] {
  const name = objectName(spec.name);
  const env = splitEnv(spec.env);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'tend-export', ...(spec.namespace === 'default' ? {} : { 'tend.namespace': objectName(spec.namespace) }) };
  const port = portOf(spec);
  const objects: K8sObject[] = [];
  // Under tend-runtime the ecosystem file in the image carries the plain variables.
  if (!options.runtime && Object.keys(env.plain).length > 0) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${name}-env`, labels, options), data: env.plain });
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, labels, options),
    spec: {
      replicas: spec.autostart ? (options.runtime ? 1 : spec.instances) : 0,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      // As `tend reload`: a new pod is ready before an old one stops.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels }, spec: podSpec(spec, name, env, port, options) },
    },
  });
  if (port !== null) {
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, labels, options), spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port, targetPort: port }] } });
  }
  if (spec.cronRestart !== null && !options.runtime) objects.push(...cronRestartObjects(spec, name, options.image ?? '', (n) => meta(n, labels, options)));
  return objects;
}

/** The Secret is not written (it would hold the values): the command that creates it is. */
function secretHint(spec: AppSpec): string[] {
  const names = splitEnv(spec.env).secretNames;
  if (names.length === 0) return [];
  return [`Create the Secret first: kubectl create secret generic ${objectName(spec.name)}-secrets ${names.map((n) => `--from-literal=${n}=...`).join(' ')}`];
}

function meta(name: string, labels: Record<string, string>, options: ExportOptions): K8sObject {
  return { name, ...(options.namespace ? { namespace: options.namespace } : {}), labels };
}

/** The time a pod may take between SIGTERM and the kubelet's SIGKILL. */
function gracePeriodSeconds(spec: AppSpec, options: ExportOptions): number {
  // tend-runtime: the pre-stop delay, then the app's kill_timeout, then a second to exit.
  return options.runtime ? secondsRoundedUp(RUNTIME_PRE_STOP_DELAY_MS + spec.killTimeoutMs) + 1 : secondsRoundedUp(spec.killTimeoutMs);
}

/** Under tend-runtime: its command, /ready and /live probes, and the app's own ports. */
function runtimeContainer(spec: AppSpec, name: string, env: ReturnType<typeof splitEnv>, port: number | null, options: ExportOptions): K8sObject {
  const probe = (path: string) => ({ httpGet: { path, port: 'health' }, periodSeconds: 2, failureThreshold: 3 });
  return {
    name,
    image: options.image,
    command: runtimeCommand([spec], options, RUNTIME_PRE_STOP_DELAY_MS),
    workingDir: IMAGE_WORKDIR,
    ...(env.secretNames.length > 0 ? { env: secretVariables(name, env) } : {}),
    ports: [...(port !== null ? [{ name: 'http', containerPort: port }] : []), { name: 'health', containerPort: HEALTH_PORT }],
    readinessProbe: probe('/ready'),
    livenessProbe: { ...probe('/live'), initialDelaySeconds: secondsRoundedUp(spec.listenTimeoutMs) },
  };
}

function secretVariables(name: string, env: ReturnType<typeof splitEnv>): K8sObject[] {
  return env.secretNames.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: `${name}-secrets`, key } } }));
}

function podSpec(spec: AppSpec, name: string, env: ReturnType<typeof splitEnv>, port: number | null, options: ExportOptions): K8sObject {
  const variables = [
    ...(spec.instances > 1 ? [{ name: spec.instanceVar, value: '0' }] : []),
    ...secretVariables(name, env),
  ];
  const container: K8sObject = options.runtime ? runtimeContainer(spec, name, env, port, options) : {
    name,
    image: options.image,
    command: imageCommand(spec),
    workingDir: IMAGE_WORKDIR,
    ...(Object.keys(env.plain).length > 0 ? { envFrom: [{ configMapRef: { name: `${name}-env` } }] } : {}),
    ...(variables.length > 0 ? { env: variables } : {}),
    ...(port !== null ? { ports: [{ name: 'http', containerPort: port }] } : {}),
    ...(spec.maxMemoryRestartBytes !== null ? { resources: { limits: { memory: memoryQuantity(spec.maxMemoryRestartBytes) } } } : {}),
    ...(spec.waitReady && port !== null ? { readinessProbe: { tcpSocket: { port }, periodSeconds: 1, failureThreshold: Math.max(1, secondsRoundedUp(spec.listenTimeoutMs)) } } : {}),
    ...(spec.readiness ? { readinessProbe: kubernetesProbe(spec.readiness) } : {}),
    ...(spec.liveness ? { livenessProbe: kubernetesProbe(spec.liveness) } : {}),
  };
  const securityContext = { ...(spec.uid !== null ? { runAsUser: spec.uid } : {}), ...(spec.gid !== null ? { runAsGroup: spec.gid } : {}) };
  return {
    terminationGracePeriodSeconds: gracePeriodSeconds(spec, options),
    ...(Object.keys(securityContext).length > 0 ? { securityContext } : {}),
    containers: [container],
  };
}

function memoryQuantity(bytes: number): string {
  return bytes % 1048576 === 0 ? `${bytes / 1048576}Mi` : String(bytes);
}

/** tend's probes use Kubernetes' vocabulary: one to one, in seconds (rounded up, at least 1). */
function kubernetesProbe(probe: ProbeSpec): K8sObject {
  const check = probe.check;
  const action =
    check.type === 'http'
      ? { httpGet: httpGetOf(check.url) }
      : check.type === 'tcp'
        ? { tcpSocket: { host: check.host, port: check.port } }
        : { exec: { command: check.argv } };
  return {
    ...action,
    periodSeconds: Math.max(1, secondsRoundedUp(probe.periodMs)),
    timeoutSeconds: Math.max(1, secondsRoundedUp(probe.timeoutMs)),
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
    initialDelaySeconds: secondsRoundedUp(probe.initialDelayMs),
  };
}

/** The pod's own address is probed: the URL's host is dropped, its port, path and scheme kept. */
function httpGetOf(url: string): K8sObject {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { path: `${parsed.pathname}${parsed.search}`, port, scheme: parsed.protocol === 'https:' ? 'HTTPS' : 'HTTP' };
}
