import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Violation } from '../../../src/check/verdict.ts';
import type { LoadedTrace } from '../model/load.ts';
import { ReplayCursor } from '../model/replay.ts';
import { describeEvent, neighbour, SERVER } from '../model/trace-index.ts';
import { CheckerPanel } from './CheckerPanel.tsx';
import { Diagram } from './Diagram.tsx';
import { formatTime, type TimeWindow } from './diagram-draw.ts';
import { NodePanel, type NodeView } from './NodePanel.tsx';
import { VirtualList } from './VirtualList.tsx';

interface Props {
  trace: LoadedTrace;
  onDrawn: () => void;
}

const EMPTY: readonly number[] = [];

function initialWindow(trace: LoadedTrace): TimeWindow {
  const { startT, endT } = trace.index;
  const pad = Math.max(1, (endT - startT) * 0.02);
  return { t0: startT - pad, t1: endT + pad };
}

export function TraceView({ trace, onDrawn }: Props) {
  const { index, results } = trace;
  const last = index.events.length - 1;
  const [seq, setSeq] = useState(0);
  const [selected, setSelected] = useState<Violation | null>(null);
  const [task, setTask] = useState('');
  const [taskOptions, setTaskOptions] = useState(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [view, setView] = useState<TimeWindow>(() => initialWindow(trace));
  const cursor = useMemo(() => new ReplayCursor(trace.replay), [trace]);

  /** Moves the playhead, panning the diagram when it would leave the window. */
  const goTo = useCallback(
    (target: number | undefined) => {
      if (target === undefined) return;
      const next = Math.max(0, Math.min(last, target));
      setSeq(next);
      const t = index.times[next]!;
      setView((w) => {
        if (t >= w.t0 && t <= w.t1) return w;
        const span = w.t1 - w.t0;
        return { t0: t - span / 2, t1: t + span / 2 };
      });
    },
    [index, last],
  );

  const step = useCallback(
    (direction: 1 | -1) => {
      if (task === '') return goTo(seq + direction);
      for (let s = seq + direction; s >= 0 && s <= last; s += direction) if (index.taskOfSeq[s] === task) return goTo(s);
    },
    [goTo, seq, task, index, last],
  );

  const jump = useCallback((list: readonly number[], direction: 1 | -1) => goTo(neighbour(list, seq, direction)), [goTo, seq]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range' || target.tagName === 'SELECT')) return;
      const direction = event.shiftKey ? -1 : 1;
      if (event.key === 'ArrowRight') step(1);
      else if (event.key === 'ArrowLeft') step(-1);
      else if (event.key === 'Home') goTo(0);
      else if (event.key === 'End') goTo(last);
      else if (event.key.toLowerCase() === 'w') jump(index.opSeqs, direction);
      else if (event.key.toLowerCase() === 'f') jump(index.faultSeqs, direction);
      else if (event.key.toLowerCase() === 'v') jump(index.violationSeqs, direction);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, goTo, jump, index, last]);

  const nodes: NodeView[] = useMemo(() => {
    const state = cursor.seek(seq);
    return index.lanes
      .filter((n) => !hidden.has(n))
      .map((node) => {
        const own = state.nodes.get(node);
        const rows = state.rowsOf(node).filter((r) => task === '' || r.task === task);
        const queue = [...(own?.queue.values() ?? [])].filter((q) => task === '' || q.task === task);
        return { node, rows, queue, snapshotQueue: own?.snapshotQueue };
      });
  }, [cursor, seq, index, hidden, task]);

  const selectViolation = (v: Violation) => {
    setSelected(v);
    goTo(v.seqs[v.seqs.length - 1]);
  };

  const current = index.events[seq]!;
  const highlight = selected?.seqs ?? EMPTY;
  const failing = results.filter((r) => !r.ok).length;

  return (
    <div className="trace-view">
      <header className="summary">
        <strong>{index.meta.scenario || trace.name}</strong>
        <span className="muted"> seed {index.meta.seed} · engine {index.meta.engine} · {index.events.length.toLocaleString()} events · {formatTime(index.endT)} virtual</span>
        <span className={`overall ${failing === 0 ? 'ok' : 'fail'}`}>{failing === 0 ? 'all checkers pass' : `${failing} checker${failing > 1 ? 's' : ''} failed`}</span>
      </header>

      <div className="controls" role="toolbar" aria-label="playhead">
        <button type="button" onClick={() => step(-1)} title="previous event (←)">◀ step</button>
        <button type="button" onClick={() => step(1)} title="next event (→)">step ▶</button>
        <button type="button" onClick={() => jump(index.opSeqs, -1)} title="previous write (shift+W)">◀ write</button>
        <button type="button" onClick={() => jump(index.opSeqs, 1)} title="next write (W)">write ▶</button>
        <button type="button" onClick={() => jump(index.faultSeqs, -1)} title="previous fault (shift+F)">◀ fault</button>
        <button type="button" onClick={() => jump(index.faultSeqs, 1)} title="next fault (F)">fault ▶</button>
        <button type="button" onClick={() => jump(index.violationSeqs, -1)} title="previous violation event (shift+V)" disabled={index.violationSeqs.length === 0}>◀ violation</button>
        <button type="button" onClick={() => jump(index.violationSeqs, 1)} title="next violation event (V)" disabled={index.violationSeqs.length === 0} data-testid="next-violation">violation ▶</button>
        <input
          type="range"
          className="scrubber"
          min={0}
          max={last}
          value={seq}
          aria-label="playhead"
          onChange={(event) => goTo(Number(event.target.value))}
        />
        <span className="position mono" data-testid="position">#{seq} / {last} · t={formatTime(current.t)}</span>
      </div>

      <div className="filters">
        <label>
          task{' '}
          <select
            value={task}
            onChange={(event) => setTask(event.target.value)}
            onFocus={() => setTaskOptions(true)}
            onPointerDown={() => setTaskOptions(true)}
            aria-label="task filter"
          >
            <option value="">all tasks ({index.tasks.length})</option>
            {/* Thousands of options cost a first render; they are built when the list is opened. */}
            {taskOptions
              ? index.tasks.slice(0, 5000).map((t) => <option key={t} value={t}>{t}</option>)
              : task !== '' && <option value={task}>{task}</option>}
          </select>
        </label>
        <span className="lanes-filter">
          {index.lanes.map((lane) => (
            <label key={lane}>
              <input
                type="checkbox"
                checked={!hidden.has(lane)}
                onChange={() => setHidden((h) => {
                  const next = new Set(h);
                  if (next.has(lane)) next.delete(lane);
                  else next.add(lane);
                  return next;
                })}
              />
              {lane === SERVER ? 'server' : lane}
            </label>
          ))}
        </span>
        <button type="button" onClick={() => setView(initialWindow(trace))}>fit</button>
        <span className="legend muted">
          <i className="sw req" /> request <i className="sw ok" /> reply 2xx <i className="sw c4" /> 4xx <i className="sw c5" /> 5xx
          <i className="sw dup" /> duplicate <span className="x">×</span> drop <i className="dot op" /> write <i className="dot apply" /> device.apply
          <i className="sq" /> server.apply <i className="sw shade" /> fault period
        </span>
      </div>

      <Diagram index={index} seq={seq} highlight={highlight} task={task} hidden={hidden} window={view} onWindow={setView} onPick={goTo} onDrawn={onDrawn} />

      <div className="current mono" data-testid="current-event">
        #{seq} t={current.t}ms {describeEvent(current)}
      </div>

      <div className="panels">
        <div className="nodes">
          {nodes.map((n) => <NodePanel key={n.node} view={n} />)}
        </div>
        <CheckerPanel results={results} selected={selected} onSelect={selectViolation} onSeq={goTo} />
      </div>

      <section className="events">
        <h2>Events</h2>
        <VirtualList
          count={index.events.length}
          rowHeight={20}
          height={220}
          follow={seq}
          label="events"
          row={(i) => {
            const e = index.events[i]!;
            const marked = highlight.includes(i);
            return (
              <button type="button" className={`event-row mono ${i === seq ? 'at' : ''} ${marked ? 'marked' : ''}`} onClick={() => goTo(i)}>
                #{i} {e.t}ms {describeEvent(e)}
              </button>
            );
          }}
        />
      </section>
    </div>
  );
}
