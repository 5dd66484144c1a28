import { useCallback, useEffect, useRef, useState } from 'react';
import { TraceView } from './components/TraceView.tsx';
import { loadTrace, type LoadedTrace } from './model/load.ts';

type Phase =
  | { kind: 'empty' }
  | { kind: 'loading'; name: string }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; trace: LoadedTrace; started: number };

/** What the page reports about its last load, read by the browser test. */
declare global {
  interface Window {
    __syncsimViewer?: { events: number; loadMs: number; name: string; phases: Record<string, number> };
  }
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'empty' });
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const open = useCallback(async (name: string, read: () => Promise<string>) => {
    const started = performance.now();
    let readMs = 0;
    window.__syncsimViewer = undefined;
    setPhase({ kind: 'loading', name });
    try {
      const text = await read();
      readMs = Math.round(performance.now() - started);
      const outcome = loadTrace(name, text);
      if (outcome.ok) {
        outcome.trace.phases.read = readMs;
        outcome.trace.phases.loaded = Math.round(performance.now() - started);
      }
      setPhase(outcome.ok ? { kind: 'ready', trace: outcome.trace, started } : { kind: 'error', message: outcome.message });
    } catch (error) {
      setPhase({ kind: 'error', message: `${name}: ${(error as Error).message}` });
    }
  }, []);

  // `syncsim view trace.jsonl` serves the trace beside the page; without one the page asks for a file.
  useEffect(() => {
    const source = new URLSearchParams(location.search).get('trace') ?? 'trace.jsonl';
    fetch(source, { cache: 'no-store' })
      .then((response) => {
        if (response.status !== 200) return;
        void open(decodeURIComponent(source.split('/').pop() ?? source), () => response.text());
      })
      .catch(() => undefined);
  }, [open]);

  const openFile = (file: File | undefined) => {
    if (file) void open(file.name, () => file.text());
  };

  const current = useRef(phase);
  current.current = phase;
  const onDrawn = useCallback(() => {
    const p = current.current;
    if (p.kind !== 'ready') return;
    const loadMs = Math.round(performance.now() - p.started);
    window.__syncsimViewer = { events: p.trace.events.length, loadMs, name: p.trace.name, phases: p.trace.phases };
    document.body.dataset.loadMs = String(loadMs);
  }, []);

  return (
    <div
      className={`app ${dragging ? 'dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        openFile(event.dataTransfer.files[0]);
      }}
    >
      <nav className="top">
        <span className="brand">syncsim viewer</span>
        <button type="button" onClick={() => picker.current?.click()}>Open trace…</button>
        <input ref={picker} type="file" accept=".jsonl,.json,.txt" hidden data-testid="file-input" onChange={(event) => openFile(event.target.files?.[0])} />
        <span className="muted">or drop a trace.jsonl anywhere · keys: ←/→ step, W/F/V next write/fault/violation (shift: previous)</span>
      </nav>
      {phase.kind === 'empty' && (
        <div className="dropzone" onClick={() => picker.current?.click()}>
          <p>Drop a <code>trace.jsonl</code> here, or click to choose one.</p>
          <p className="muted">Traces come from <code>syncsim run</code> (reports/&lt;scenario&gt;-&lt;seed&gt;/trace.jsonl).</p>
        </div>
      )}
      {phase.kind === 'loading' && <div className="loading">Loading {phase.name}…</div>}
      {phase.kind === 'error' && (
        <div className="error" role="alert" data-testid="load-error">
          <h2>This trace cannot be shown</h2>
          <p className="mono">{phase.message}</p>
          <p className="muted">Open another file, or fix the line above (SPEC §5: one JSON event per line with seq, t and type).</p>
        </div>
      )}
      {phase.kind === 'ready' && <TraceView key={phase.started} trace={phase.trace} onDrawn={onDrawn} />}
    </div>
  );
}
