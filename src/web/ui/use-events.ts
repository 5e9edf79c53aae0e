import { useEffect, useRef, useState } from 'preact/hooks';
import { applyMetrics, mergeInstance, withUptimes } from './live-merge.js';
import type { BacklogEvent, InstanceInfo, LogLine, MetricsEvent, PaneLine, ProcessesEvent } from './types.js';

/** The log pane keeps this many lines; older ones scroll away. */
const MAX_PANE_LINES = 500;
/** Uptimes move on and the charts get a point this often (the daemon sends only changes). */
const PAGE_TICK_MS = 2000;

/** The table and the time of the page's last tick, changed together. */
interface Table {
  processes: InstanceInfo[];
  /** The daemon's time at the page's last tick, for the charts to append a point. */
  tickAt: number | null;
}

export interface LiveState extends Table {
  logs: PaneLine[];
  connected: boolean;
}

/**
 * The page's one EventSource. Selecting another app reopens it with `?app=`, so the server only
 * sends the log lines of the app on screen. EventSource reconnects on its own (the server's
 * `retry:`), and every new stream starts with the whole table, so nothing goes stale.
 * `metrics` events come only when figures change, so the page ticks on its own clock, set to
 * the daemon's by the `at` of each event (a browser's clock may be off).
 */
export function useEvents(app: string | null): LiveState {
  const [table, setTable] = useState<Table>({ processes: [], tickAt: null });
  const [logs, setLogs] = useState<PaneLine[]>([]);
  const [connected, setConnected] = useState(false);
  const nextKey = useRef(0);
  /** Daemon clock minus browser clock, from the latest event. */
  const offsetMs = useRef(0);

  useEffect(() => {
    setLogs([]);
    const source = new EventSource(app ? `/api/events?app=${encodeURIComponent(app)}` : '/api/events');
    const append = (lines: Array<Omit<PaneLine, 'key'>>): void => {
      if (lines.length === 0) return;
      setLogs((old) => [...old, ...lines.map((l) => ({ ...l, key: nextKey.current++ }))].slice(-MAX_PANE_LINES));
    };
    source.addEventListener('processes', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as ProcessesEvent;
      offsetMs.current = data.at - Date.now();
      setTable((old) => ({ ...old, processes: data.list }));
    });
    source.addEventListener('metrics', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as MetricsEvent;
      offsetMs.current = data.at - Date.now();
      setTable((old) => ({ ...old, processes: applyMetrics(old.processes, data) }));
    });
    source.addEventListener('instance', (event) => {
      const info = JSON.parse((event as MessageEvent<string>).data) as InstanceInfo;
      setTable((old) => ({ ...old, processes: mergeInstance(old.processes, info) }));
    });
    source.addEventListener('backlog', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as BacklogEvent;
      append(data.lines.map((l) => ({ instance: data.instance, stream: l.stream, text: l.line })));
    });
    source.addEventListener('log', (event) => {
      const line = JSON.parse((event as MessageEvent<string>).data) as LogLine;
      append([{ instance: line.instance, stream: line.stream, text: line.line }]);
    });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    const tick = setInterval(() => {
      // While reconnecting, flat lines in the charts would claim figures nobody measured.
      if (source.readyState !== EventSource.OPEN) return;
      const now = Date.now() + offsetMs.current;
      setTable((old) => ({ processes: withUptimes(old.processes, now), tickAt: now }));
    }, PAGE_TICK_MS);
    return () => {
      clearInterval(tick);
      source.close();
    };
  }, [app]);

  return { ...table, logs, connected };
}
