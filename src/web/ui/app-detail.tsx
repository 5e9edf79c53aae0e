import { useEffect, useState } from 'preact/hooks';
import { fetchDescribe, postAction } from './api.js';
import { Charts } from './charts.js';
import { formatTime } from './format.js';
import { LogPane } from './log-pane.js';
import type { ActionName, DescribedInstance, InstanceInfo, PaneLine } from './types.js';

interface Props {
  app: string;
  instances: InstanceInfo[];
  /** Daemon time of the latest metrics tick; the charts add a point at each. */
  tickAt: number | null;
  logs: PaneLine[];
  onDeleted(): void;
}

const ACTIONS: ReadonlyArray<{ action: ActionName; label: string; confirm: string | null }> = [
  { action: 'start', label: 'Start', confirm: null },
  { action: 'restart', label: 'Restart', confirm: null },
  { action: 'reload', label: 'Reload', confirm: null },
  { action: 'stop', label: 'Stop', confirm: 'Stop every instance of %s?' },
  { action: 'delete', label: 'Delete', confirm: 'Delete %s? It stops and is removed from tend.' },
];

/** Everything about the selected app: buttons, charts, restart history and the log tail. */
export function AppDetail({ app, instances, tickAt, logs, onDeleted }: Props) {
  const [busy, setBusy] = useState<ActionName | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [described, setDescribed] = useState<DescribedInstance[]>([]);
  // Refetch the history when a restart count or status changes, not on every metrics tick.
  const version = instances.map((i) => `${i.id}:${i.status}:${i.restarts}`).join(',');

  useEffect(() => {
    let cancelled = false;
    fetchDescribe(app).then((d) => !cancelled && setDescribed(d), () => !cancelled && setDescribed([]));
    return () => {
      cancelled = true;
    };
  }, [app, version]);

  const run = async (action: ActionName, confirmText: string | null): Promise<void> => {
    if (confirmText && !window.confirm(confirmText.replace('%s', app))) return;
    setBusy(action);
    setMessage(null);
    try {
      await postAction(action, app);
      setMessage(`${action}: done`);
      if (action === 'delete') onDeleted();
    } catch (error) {
      setMessage(`${action} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(null);
    }
  };

  const history = described
    .flatMap((d) => d.history.map((h) => ({ ...h, instance: d.info.instance })))
    .sort((a, b) => b.at - a.at)
    .slice(0, 30);

  return (
    <section class="detail">
      <h2>{app}</h2>
      <div class="actions">
        {ACTIONS.map(({ action, label, confirm }) => (
          <button type="button" key={action} data-action={action} class={confirm ? 'danger' : ''} disabled={busy !== null} onClick={() => void run(action, confirm)}>
            {busy === action ? `${label}…` : label}
          </button>
        ))}
        {message ? <span class="message" role="status">{message}</span> : null}
      </div>
      {instances.length > 0 ? <Charts instances={instances} tickAt={tickAt} /> : null}
      <section class="history">
        <h3>Restart history</h3>
        {history.length === 0 ? <p class="muted">nothing yet</p> : null}
        <ul>
          {history.map((h) => (
            <li key={`${h.at}-${h.instance}-${h.event}`}>
              <span class="muted">{formatTime(h.at)}</span> #{h.instance} <strong>{h.event}</strong>
              {h.cause ? ` (${h.cause})` : ''}
              {h.exitCode !== null ? ` code ${h.exitCode}` : ''}
              {h.signal ? ` ${h.signal}` : ''}
              {h.detail ? ` — ${h.detail}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <LogPane app={app} lines={logs} />
    </section>
  );
}
