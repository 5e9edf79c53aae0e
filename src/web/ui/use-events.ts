import { useEffect, useRef, useState } from 'preact/hooks';
import type { BacklogEvent, InstanceInfo, LogLine, PaneLine, ProcessesEvent } from './types.js';

/** The log pane keeps this many lines; older ones scroll away. */
const MAX_PANE_LINES = 500;

export interface LiveState {
  processes: InstanceInfo[];
  /** The latest metrics tick, for the charts to append. */
  tick: ProcessesEvent | null;
  logs: PaneLine[];
  connected: boolean;
}

/**
 * The page's one EventSource. Selecting another app reopens it with `?app=`, so the server only
 * sends the log lines of the app on screen. EventSource reconnects on its own (the server's
 * `retry:`), and every new stream starts with the whole table, so nothing goes stale.
 */
export function useEvents(app: string | null): LiveState {
  const [processes, setProcesses] = useState<InstanceInfo[]>([]);
  const [tick, setTick] = useState<ProcessesEvent | null>(null);
  const [logs, setLogs] = useState<PaneLine[]>([]);
  const [connected, setConnected] = useState(false);
  const nextKey = useRef(0);

  useEffect(() => {
    setLogs([]);
    const source = new EventSource(app ? `/api/events?app=${encodeURIComponent(app)}` : '/api/events');
    const append = (lines: Array<Omit<PaneLine, 'key'>>): void => {
      if (lines.length === 0) return;
      setLogs((old) => [...old, ...lines.map((l) => ({ ...l, key: nextKey.current++ }))].slice(-MAX_PANE_LINES));
    };
    source.addEventListener('processes', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as ProcessesEvent;
      setProcesses(data.list);
      setTick(data);
    });
    source.addEventListener('instance', (event) => {
      const info = JSON.parse((event as MessageEvent<string>).data) as InstanceInfo;
      setProcesses((old) => mergeInstance(old, info));
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
    return () => source.close();
  }, [app]);

  return { processes, tick, logs, connected };
}

function mergeInstance(list: InstanceInfo[], info: InstanceInfo): InstanceInfo[] {
  const index = list.findIndex((i) => i.id === info.id);
  if (index === -1) return [...list, info].sort((a, b) => a.id - b.id);
  const next = list.slice();
  next[index] = info;
  return next;
}
