import { formatBytes, formatPercent, formatUptime } from './format.js';
import { restartBadge } from './restart-badge.js';
import type { InstanceInfo } from './types.js';

interface Props {
  processes: InstanceInfo[];
  selected: string | null;
  onSelect(app: string): void;
}

/** One row per instance; a click selects the app for the detail pane below. */
export function ProcessTable({ processes, selected, onSelect }: Props) {
  const counts = new Map<string, number>();
  for (const p of processes) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  if (processes.length === 0)
    return (
      <p class="empty">
        No apps yet. Start one with <code>tend start app.js</code>.
      </p>
    );
  return (
    <div class="table-wrap">
      <table class="processes">
        <thead>
          <tr>
            <th>id</th>
            <th>name</th>
            <th class="opt">namespace</th>
            <th class="opt">mode</th>
            <th class="opt">instances</th>
            <th>status</th>
            <th class="opt">pid</th>
            <th>cpu</th>
            <th>memory</th>
            <th title="restarts">
              <span class="wide-only">restarts</span>
              <span class="narrow-only">↺</span>
            </th>
            <th class="opt">uptime</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((p) => {
            const badge = restartBadge(p);
            return (
              <tr
                key={p.id}
                data-id={p.id}
                data-app={p.name}
                class={p.name === selected ? 'selected' : ''}
                onClick={() => onSelect(p.name)}
                tabIndex={0}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(p.name)}
              >
                <td>{p.id}</td>
                <td class="name">{p.name}</td>
                <td class="opt">{p.namespace}</td>
                <td class="opt">{p.mode}</td>
                <td class="opt">{`${p.instance + 1}/${counts.get(p.name) ?? 1}`}</td>
                <td class="status-cell">
                  <span
                    class={`status status-${p.status} restarts-${badge.level}`}
                    data-status={p.status}
                    data-restarts={badge.level}
                    title={probeTitle(p)}
                  >
                    {p.status}
                  </span>
                  {badge.text ? <span class={`recent-restarts ${badge.level}`}> {badge.text}</span> : null}
                  {p.ready === false && p.status === 'online' ? <span class="not-ready"> not ready</span> : null}
                  {p.status_text ? <span class="status-text"> {p.status_text}</span> : null}
                </td>
                <td class="opt pid">{p.pid ?? '-'}</td>
                <td class="cpu">{formatPercent(p.cpu)}</td>
                <td class="memory">{formatBytes(p.memory)}</td>
                <td class="restarts">{p.restarts}</td>
                <td class="opt uptime">{p.status === 'online' ? formatUptime(p.uptime_ms) : '-'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The readiness and liveness probes' last results, as a tooltip on the status. */
function probeTitle(p: InstanceInfo): string | undefined {
  const parts: string[] = [];
  for (const name of ['readiness', 'liveness'] as const) {
    const result = p.probes?.[name];
    if (result)
      parts.push(`${name}: ${result.ok ? 'passed' : `failed (${result.detail ?? ''}, ${result.consecutive_failures} in a row)`}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
