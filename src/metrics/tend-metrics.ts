import type { InstanceInfo } from '../core/instance-info.js';
import type { PublicStatus } from '../core/status.js';
import type { MetricFamily, MetricSample } from './prometheus.js';

/** What `/metrics` needs to know about one app. */
export interface AppMetricsInput {
  name: string;
  namespace: string;
  /** Instances the spec asks for. */
  configuredInstances: number;
}

/** What `/metrics` needs to know about the daemon itself. */
export interface DaemonMetricsInput {
  /** Resident bytes of the daemon process (process.memoryUsage().rss). */
  memoryBytes: number;
}

type InstanceMetricsInput = Pick<
  InstanceInfo,
  'id' | 'name' | 'namespace' | 'instance' | 'status' | 'cpu' | 'memory' | 'restarts' | 'uptime_ms'
>;

// Every status gets a 0/1 sample, the usual "state set" shape, so a query can select
// tend_instance_status{status="errored"} == 1 without knowing the other values.
const STATUSES: readonly PublicStatus[] = ['launching', 'online', 'stopping', 'stopped', 'waiting', 'errored'];

function instanceLabels(info: InstanceMetricsInput): Record<string, string> {
  return { id: String(info.id), name: info.name, namespace: info.namespace, instance: String(info.instance) };
}

function perInstance(
  instances: readonly InstanceMetricsInput[],
  value: (info: InstanceMetricsInput) => number,
): MetricSample[] {
  return instances.map((info) => ({ labels: instanceLabels(info), value: value(info) }));
}

/** The metric families of issue 8, from plain data the daemon already holds. */
export function buildTendMetrics(
  instances: readonly InstanceMetricsInput[],
  apps: readonly AppMetricsInput[],
  daemon: DaemonMetricsInput,
): MetricFamily[] {
  const running = new Map<string, number>();
  for (const info of instances) {
    const key = `${info.namespace}\u0000${info.name}`;
    running.set(key, (running.get(key) ?? 0) + (info.status === 'online' ? 1 : 0));
  }
  const appLabels = (app: AppMetricsInput) => ({ name: app.name, namespace: app.namespace });
  return [
    { name: 'tend_instance_cpu_percent', help: 'CPU use of the instance process tree, percent of one core.', type: 'gauge', samples: perInstance(instances, (i) => i.cpu) },
    { name: 'tend_instance_memory_bytes', help: 'Resident memory of the instance process tree in bytes.', type: 'gauge', samples: perInstance(instances, (i) => i.memory) },
    { name: 'tend_instance_restarts_total', help: 'Restarts of the instance since it was started.', type: 'counter', samples: perInstance(instances, (i) => i.restarts) },
    { name: 'tend_instance_uptime_seconds', help: 'Seconds since the instance last started (0 when not running).', type: 'gauge', samples: perInstance(instances, (i) => i.uptime_ms / 1000) },
    {
      name: 'tend_instance_status',
      help: 'Status of the instance: 1 for the current status, 0 for the others.',
      type: 'gauge',
      samples: instances.flatMap((info) =>
        STATUSES.map((status) => ({ labels: { ...instanceLabels(info), status }, value: info.status === status ? 1 : 0 })),
      ),
    },
    { name: 'tend_app_instances_configured', help: 'Instances the app is configured to run.', type: 'gauge', samples: apps.map((app) => ({ labels: appLabels(app), value: app.configuredInstances })) },
    {
      name: 'tend_app_instances_running',
      help: 'Instances of the app that are online.',
      type: 'gauge',
      samples: apps.map((app) => ({ labels: appLabels(app), value: running.get(`${app.namespace}\u0000${app.name}`) ?? 0 })),
    },
    { name: 'tend_daemon_memory_bytes', help: 'Resident memory of the tend daemon in bytes.', type: 'gauge', samples: [{ labels: {}, value: daemon.memoryBytes }] },
  ];
}
