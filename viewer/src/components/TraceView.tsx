import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Violation } from '../../../src/check/verdict.ts';
import type { CheckView, RunView } from '../model/judge.ts';
import { describeSeq } from '../model/describe.ts';
import type { LoadedTrace } from '../model/load.ts';
import { ReadCursor, type ReadEvent } from '../model/reads.ts';
import { ReplayCursor } from '../model/replay.ts';
import { taskIndexOf } from '../model/task-index.ts';
import { selectTask } from '../model/task-selection.ts';
import { lowerBound, neighbour, SERVER, str, violationSeqsOf } from '../model/trace-index.ts';
import { CheckerPanel } from './CheckerPanel.tsx';
import { Diagram } from './Diagram.tsx';
import { EngineErrors } from './EngineErrors.tsx';
import { formatCount, formatTime } from './format.ts';
import type { TimeWindow } from './diagram-layout.ts';
import { NodePanel, type NodeView } from './NodePanel.tsx';
import { TaskFilter } from './TaskFilter.tsx';
import { VirtualList } from './VirtualList.tsx';

interface Props {
  trace: LoadedTrace;
  /** The checkers' results; undefined while they run. */
  results: CheckView[] | undefined;
  /** The run's verdict; undefined while the checkers run. */
  run: RunView | undefined;
  onDrawn: () => void;
}

const EMPTY: readonly number[] = [];

function initialWindow(trace: LoadedTrace): TimeWindow {
  const { startT, endT } = trace.index;
  const pad = Math.max(1, (endT - startT) * 0.02);
  return { t0: startT - pad, t1: endT + pad };
}

export function TraceView({ trace, results, run, onDrawn }: Props) {
  const { index } = trace;
  const last = index.events.length - 1;
  const [seq, setSeq] = useState(0);
  const [selected, setSelected] = useState<Violation | null>(null);
  const [task, setTask] = useState('');
  const selection = useMemo(() => (task === '' ? undefined : selectTask(index, task)), [index, task]);
  const listTasks = useCallback(() => taskIndexOf(index).tasks, [index]);
  const violationSeqs = useMemo(() => violationSeqsOf(results ?? []), [results]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [view, setView] = useState<TimeWindow>(() => initialWindow(trace));
  const cursor = useMemo(() => new ReplayCursor(trace.replay), [trace]);
  const reads = useMemo(() => index.readsByLane.map((seqs) => new ReadCursor(index.events, seqs)), [index]);
  // The users' writes when the harness recorded them, else the engine's ops.
  const writeSeqs = index.invokeSeqs.length > 0 ? index.invokeSeqs : index.opSeqs;

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

  const jump = useCallback((list: readonly number[], direction: 1 | -1) => goTo(neighbour(list, seq, direction)), [goTo, seq]);

  /** One event on; with a task picked, to the next event that concerns it. */
  const step = useCallback(
    (direction: 1 | -1) => (selection ? jump(selection.seqs, direction) : goTo(seq + direction)),
    [goTo, jump, seq, selection],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range' || target.tagName === 'SELECT')) return;
      const direction = event.shiftKey ? -1 : 1;
      if (event.key === 'ArrowRight') step(1);
      else if (event.key === 'ArrowLeft') step(-1);
      else if (event.key === 'Home') goTo(0);
      else if (event.key === 'End') goTo(last);
      else if (event.key.toLowerCase() === 'w') jump(writeSeqs, direction);
      else if (event.key.toLowerCase() === 'f') jump(index.faultSeqs, direction);
      else if (event.key.toLowerCase() === 'e') jump(index.engineErrorSeqs, direction);
      else if (event.key.toLowerCase() === 'v') jump(violationSeqs, direction);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, goTo, jump, index, last, violationSeqs, writeSeqs]);

  const highlight = selected?.seqs ?? EMPTY;

  const nodes: NodeView[] = useMemo(() => {
    const state = cursor.seek(seq);
    return index.lanes
      .map((node, lane) => {
        if (hidden.has(node)) return undefined;
        const own = state.nodes.get(node);
        const rows = state.rowsOf(node).filter((r) => task === '' || r.task === task);
        const queue = [...(own?.queue.values() ?? [])].filter((q) => task === '' || q.task === task);
        const view: NodeView = { node, rows, queue, snapshotQueue: own?.snapshotQueue };
        const cursorOfLane = reads[lane]!;
        if (cursorOfLane.reads.length > 0) {
          const latest = cursorOfLane.at(seq);
          const e = latest && (index.events[latest.seq] as ReadEvent);
          view.seen = {
            read: latest && { seq: latest.seq, t: e!.t, cause: str(e!.cause), rows: latest.rows.filter((r) => task === '' || r.task === task) },
            marked: latest !== undefined && highlight.includes(latest.seq),
          };
        }
        return view;
      })
      .filter((view) => view !== undefined);
  }, [cursor, reads, seq, index, hidden, task, highlight]);

  const selectViolation = (v: Violation) => {
    setSelected(v);
    goTo(v.seqs[v.seqs.length - 1]);
  };

  const current = index.events[seq]!;
  const failing = results?.filter((r) => !r.ok && !r.expected).length ?? 0;
  // The event list: every event, or those that concern the picked task.
  const rows = selection?.seqs;

  return (
    <div className="trace-view">
      <header className="summary">
        <strong>{index.meta.scenario || trace.name}</strong>
        <span className="muted"> seed {index.meta.seed} · engine {index.meta.engine} · {formatCount(index.events.length)} events · {formatTime(index.endT)} virtual</span>
        {results === undefined
          ? <span className="overall checking">checking…</span>
          : <span className={`overall ${run?.ok !== false ? 'ok' : 'fail'}`} data-testid="overall">{run?.ok !== false
            ? (run !== undefined && run.expectedViolations.length > 0 ? 'fails exactly as expected' : 'all checkers pass')
            : failing > 0 ? `${failing} checker${failing > 1 ? 's' : ''} failed` : 'the run failed'}</span>}
        {index.engineErrorSeqs.length > 0 && (
          <button type="button" className="engine-error-count" onClick={() => goTo(index.engineErrorSeqs[0])} title="first engine error (E: next)">
            {formatCount(index.engineErrorSeqs.length)} engine error{index.engineErrorSeqs.length > 1 ? 's' : ''}
          </button>
        )}
      </header>

      <div className="controls" role="toolbar" aria-label="playhead">
        <button type="button" onClick={() => step(-1)} title="previous event (←)">◀ step</button>
        <button type="button" onClick={() => step(1)} title="next event (→)">step ▶</button>
        <button type="button" onClick={() => jump(writeSeqs, -1)} title="previous write (shift+W)">◀ write</button>
        <button type="button" onClick={() => jump(writeSeqs, 1)} title="next write (W)">write ▶</button>
        <button type="button" onClick={() => jump(index.faultSeqs, -1)} title="previous fault (shift+F)">◀ fault</button>
        <button type="button" onClick={() => jump(index.faultSeqs, 1)} title="next fault (F)">fault ▶</button>
        <button type="button" onClick={() => jump(violationSeqs, -1)} title="previous violation event (shift+V)" disabled={violationSeqs.length === 0}>◀ violation</button>
        <button type="button" onClick={() => jump(violationSeqs, 1)} title="next violation event (V)" disabled={violationSeqs.length === 0} data-testid="next-violation">violation ▶</button>
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
        <TaskFilter listTasks={listTasks} task={task} onTask={setTask} />
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
          <i className="sq" /> server.apply <i className="sw shade" /> fault period <i className="mk" /> crash, restart, kill
          <i className="sw user" /> user write <i className="sw user-fail" /> failed <i className="dia" /> user read <span className="warn">▲</span> engine error
        </span>
      </div>

      <Diagram index={index} seq={seq} highlight={highlight} selection={selection} hidden={hidden} window={view} onWindow={setView} onPick={goTo} onDrawn={onDrawn} />

      <div className="current mono" data-testid="current-event">
        #{seq} t={current.t}ms {describeSeq(index, seq)}
      </div>

      <div className="panels">
        <div className="nodes">
          {nodes.map((n) => <NodePanel key={n.node} view={n} markedTask={selected?.task} onSeq={goTo} />)}
        </div>
        <div className="side">
          <EngineErrors index={index} onSeq={goTo} />
          <CheckerPanel results={results} run={run} selected={selected} onSelect={selectViolation} onSeq={goTo} />
        </div>
      </div>

      <section className="events">
        <h2>Events{selection && <span className="muted"> that concern {selection.task}: {formatCount(selection.seqs.length)}</span>}</h2>
        <VirtualList
          count={rows ? rows.length : index.events.length}
          rowHeight={20}
          height={220}
          follow={rows ? lowerBound(rows, seq) : seq}
          label="events"
          row={(i) => {
            const s = rows ? rows[i]! : i;
            const e = index.events[s]!;
            const marked = highlight.includes(s);
            return (
              <button type="button" className={`event-row mono ${s === seq ? 'at' : ''} ${marked ? 'marked' : ''} ${e.type === 'engine-error' || e.type === 'fail' ? 'alarm' : ''}`} onClick={() => goTo(s)}>
                #{s} {e.t}ms {describeSeq(index, s)}
              </button>
            );
          }}
        />
      </section>
    </div>
  );
}
