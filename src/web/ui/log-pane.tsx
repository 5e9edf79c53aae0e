import { useEffect, useRef, useState } from 'preact/hooks';
import type { PaneLine } from './types.js';

interface Props {
  app: string;
  lines: PaneLine[];
}

/** The live tail of the selected app. It follows new lines unless the reader scrolled up. */
export function LogPane({ app, lines }: Props) {
  const box = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  const onScroll = (): void => {
    const el = box.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  };

  return (
    <section class="logs">
      <h3>
        Logs of {app} {follow ? '' : <button type="button" onClick={() => setFollow(true)}>follow</button>}
      </h3>
      <pre class="log-pane" ref={box} onScroll={onScroll} data-testid="log-pane">
        {lines.length === 0 ? <span class="muted">no output yet</span> : null}
        {lines.map((l) => (
          <div key={l.key} class={l.stream === 'err' ? 'log-line err' : 'log-line'}>
            <span class="muted">{l.instance}|</span> {l.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
