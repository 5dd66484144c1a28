import { useCallback, useEffect, useRef, useState } from 'react';
import { TraceView } from './components/TraceView.tsx';
import { loadTrace, type Drawable, type TraceLoad, type TraceSource } from './loading/trace-loader.ts';
import type { CheckView, RunView, Verdict } from './model/judge.ts';
import type { LoadedTrace } from './model/load.ts';

type Phase =
  | { kind: 'empty' }
  | { kind: 'loading'; name: string }
  | { kind: 'error'; message: string }
  /** `results` is undefined while the checkers run. */
  | { kind: 'ready'; trace: LoadedTrace; started: number; results: CheckView[] | undefined; run: RunView | undefined };

/** What the page reports about its last load, read by the browser test. */
declare global {
  interface Window {
    __syncsimViewer?: { events: number; loadMs: number; name: string; phases: Record<string, number> };
  }
}

const since = (started: number) => Math.round(performance.now() - started);

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading', name: 'trace.jsonl' });
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const loading = useRef<TraceLoad | null>(null);

  /** Starts a load; a newer one cancels it, so only the latest trace ever reaches the page. */
  const open = useCallback((name: string, source: TraceSource) => {
    loading.current?.cancel();
    const started = performance.now();
    const load = loadTrace(name, source);
    loading.current = load;
    window.__syncsimViewer = undefined;
    setPhase({ kind: 'loading', name });
    let drawable: Drawable | undefined;
    let verdict: Verdict | undefined;
    // The page draws from its own parse first; the verdict adds the checkers or replaces it with an error.
    const settle = () => {
      if (loading.current !== load) return;
      if (verdict && !verdict.ok) setPhase({ kind: 'error', message: verdict.message });
      else if (drawable?.kind === 'none') setPhase({ kind: 'empty' });
      else if (drawable?.kind === 'model') setPhase({ kind: 'ready', trace: drawable.trace, started, results: verdict?.results, run: verdict?.run });
      else if (drawable?.kind === 'unreadable' && verdict) setPhase({ kind: 'error', message: `${name}: the viewer could not read this trace` });
    };
    void load.drawable.then((d) => {
      if (d.kind === 'model') d.trace.phases.loaded = since(started);
      drawable = d;
      settle();
    });
    void load.verdict.then((v) => {
      if (v.ok && drawable?.kind === 'model') Object.assign(drawable.trace.phases, v.phases, { checked: since(started) });
      verdict = v;
      settle();
    });
  }, []);

  // `syncsim view trace.jsonl` serves the trace beside the page; without one the page asks for a file.
  useEffect(() => {
    const source = new URLSearchParams(location.search).get('trace') ?? 'trace.jsonl';
    open(decodeURIComponent(source.split('/').pop() ?? source), { url: new URL(source, location.href).href });
    return () => {
      loading.current?.cancel();
      loading.current = null;
    };
  }, [open]);

  const openFile = (file: File | undefined) => {
    if (file) open(file.name, { file });
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
        <span className="muted">or drop a trace.jsonl anywhere · keys: ←/→ step, W/F/V/E next write/fault/violation/engine error (shift: previous)</span>
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
      {phase.kind === 'ready' && <TraceView key={phase.started} trace={phase.trace} results={phase.results} run={phase.run} onDrawn={onDrawn} />}
    </div>
  );
}
