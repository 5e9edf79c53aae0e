import { useState } from 'preact/hooks';
import { AppDetail } from './app-detail.js';
import { ProcessTable } from './process-table.js';
import { useEvents } from './use-events.js';

/** The page: process table on top, the selected app below (side by side on wide screens). */
export function App() {
  const [selected, setSelected] = useState<string | null>(() => decodeURIComponent(location.hash.slice(1)) || null);
  const { processes, tickAt, logs, connected } = useEvents(selected);

  const select = (app: string | null): void => {
    setSelected(app);
    // The hash keeps the selection across reloads without another request.
    history.replaceState(null, '', app ? `#${encodeURIComponent(app)}` : location.pathname);
  };

  const instances = selected ? processes.filter((p) => p.name === selected) : [];
  return (
    <div class="page">
      <header>
        <h1>tend</h1>
        <span class={connected ? 'live on' : 'live'} data-live={connected ? 'on' : 'off'}>
          {connected ? 'live' : 'reconnecting…'}
        </span>
        <span class="muted count">{processes.length} instances</span>
      </header>
      <main>
        <ProcessTable processes={processes} selected={selected} onSelect={select} />
        {selected ? (
          <AppDetail app={selected} instances={instances} tickAt={tickAt} logs={logs} onDeleted={() => select(null)} />
        ) : (
          <p class="muted hint">Select an app for its charts, restart history and logs.</p>
        )}
      </main>
    </div>
  );
}
