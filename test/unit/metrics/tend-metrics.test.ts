import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { formatPrometheus } from '../../../src/metrics/prometheus.js';
import { buildTendMetrics } from '../../../src/metrics/tend-metrics.js';

function instance(id: number, name: string, status: InstanceInfo['status'], instanceIndex = 0): InstanceInfo {
  return {
    id, name, namespace: 'default', pid: status === 'online' ? 1000 + id : null, status, mode: 'fork',
    instance: instanceIndex, restarts: id, uptime_ms: 1500, cpu: 12.5, memory: 4096, exit_code: null,
    exit_signal: null, error: null, started_at: null, adopted_at: null,
  };
}

describe('buildTendMetrics', () => {
  const text = formatPrometheus(
    buildTendMetrics(
      [instance(0, 'api', 'online', 0), instance(1, 'api', 'errored', 1), instance(2, 'we"b', 'online')],
      [
        { name: 'api', namespace: 'default', configuredInstances: 2 },
        { name: 'we"b', namespace: 'default', configuredInstances: 1 },
      ],
      { memoryBytes: 5e7 },
    ),
  );
  const lines = text.split('\n');

  const expected = [
    '# TYPE tend_instance_cpu_percent gauge',
    'tend_instance_cpu_percent{id="0",name="api",namespace="default",instance="0"} 12.5',
    'tend_instance_memory_bytes{id="1",name="api",namespace="default",instance="1"} 4096',
    '# TYPE tend_instance_restarts_total counter',
    'tend_instance_restarts_total{id="2",name="we\\"b",namespace="default",instance="0"} 2',
    'tend_instance_uptime_seconds{id="0",name="api",namespace="default",instance="0"} 1.5',
    'tend_instance_status{id="1",name="api",namespace="default",instance="1",status="errored"} 1',
    'tend_instance_status{id="1",name="api",namespace="default",instance="1",status="online"} 0',
    'tend_app_instances_configured{name="api",namespace="default"} 2',
    'tend_app_instances_running{name="api",namespace="default"} 1',
    'tend_app_instances_running{name="we\\"b",namespace="default"} 1',
    '# HELP tend_daemon_memory_bytes Resident memory of the tend daemon in bytes.',
    'tend_daemon_memory_bytes 50000000',
  ];
  for (const line of expected) {
    it(`contains ${line}`, () => assert.ok(lines.includes(line), text));
  }

  it('gives each instance exactly one status set to 1', () => {
    const ones = lines.filter((l) => l.startsWith('tend_instance_status{') && l.endsWith(' 1'));
    assert.equal(ones.length, 3);
  });

  it('has HELP and TYPE once for each of the 8 families', () => {
    assert.equal(lines.filter((l) => l.startsWith('# HELP ')).length, 8);
    assert.equal(lines.filter((l) => l.startsWith('# TYPE ')).length, 8);
  });
});
