import type { AppSpec, ProbeSpec } from '../core/app-spec.js';
import type { InstanceInfo, ProbeResult } from '../core/instance-info.js';

/** describe's rows for sockets, the readiness contract and probes; none for an app without them. */
export function healthRows(info: InstanceInfo, spec: AppSpec): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const listen = spec.listen ?? [];
  if (listen.length > 0) rows.push(['listen', listen.map((entry, i) => `fd ${3 + i} ${entry.address} (${entry.name})`).join(', ')]);
  const contract = spec.readiness ? 'readiness probe' : spec.readyProtocol === 'notify' ? 'sd_notify READY=1' : spec.readyProtocol === 'fd' ? 'a line on READY_FD' : spec.waitReady ? 'IPC "ready"' : null;
  if (contract !== null) rows.push(['ready when', `${contract}${info.ready === undefined || info.ready === null ? '' : info.ready ? ' (ready)' : ' (not ready)'}`]);
  if ((spec.watchdogMs ?? 0) > 0) rows.push(['watchdog', `${spec.watchdogMs} ms`]);
  if (info.status_text) rows.push(['status text', info.status_text]);
  for (const name of ['readiness', 'liveness'] as const) {
    const probe = spec[name];
    if (probe) rows.push([`${name} probe`, `${describeProbe(probe)}; last: ${describeResult(info.probes?.[name] ?? null)}`]);
  }
  return rows;
}

function describeProbe(probe: ProbeSpec): string {
  const check = probe.check;
  const target = check.type === 'http' ? `GET ${check.url}` : check.type === 'tcp' ? `tcp ${check.host}:${check.port}` : `exec ${check.argv.join(' ')}`;
  return `${target} every ${probe.periodMs} ms, timeout ${probe.timeoutMs} ms, ${probe.failureThreshold} failures / ${probe.successThreshold} successes`;
}

function describeResult(result: ProbeResult | null): string {
  if (result === null) return 'not run yet';
  const when = new Date(result.at).toISOString();
  return result.ok ? `passed at ${when}` : `failed at ${when} (${result.detail ?? 'failed'}, ${result.consecutive_failures} in a row)`;
}
