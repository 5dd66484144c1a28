import type { QueuedWrite, TaskRow } from '../model/replay.ts';
import { SeenRows, type SeenRead } from './SeenRows.tsx';
import { VirtualList } from './VirtualList.tsx';

export interface NodeView {
  node: string;
  /** What the engine's events say (empty for an engine that records none). */
  rows: TaskRow[];
  queue: QueuedWrite[];
  snapshotQueue: unknown[] | undefined;
  /** A device whose user read: its latest read at the playhead (undefined before the first). Absent for the server and devices without reads. */
  seen?: { read: SeenRead | undefined; marked: boolean };
}

interface Props {
  view: NodeView;
  markedTask: string | undefined;
  onSeq: (seq: number) => void;
}

/** One node's tasks and queue at the playhead, and what its user last saw. Titles are React text, never HTML. */
export function NodePanel({ view, markedTask, onSeq }: Props) {
  const { node, rows, queue, seen } = view;
  const live = rows.filter((r) => !r.deleted).length;
  const queueLength = view.snapshotQueue ? view.snapshotQueue.length : queue.length;
  return (
    <section className="node" data-node={node}>
      <h3>
        {node} <span className="muted">{live} live / {rows.length} rows · queue {queueLength}{rows.some((r) => r.fromSnapshot) ? ' · snapshot' : ''}</span>
      </h3>
      <div className="task-head">
        <span>task</span><span>title</span><span>done</span><span>{node === 'server' ? 'version' : 'sync'}</span><span>write</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted empty-rows">{seen ? 'no rows recorded by the engine' : 'no tasks'}</p>
      ) : (
        <VirtualList
          count={rows.length}
          rowHeight={22}
          height={Math.min(154, rows.length * 22 + 2)}
          label={`${node} tasks`}
          row={(i) => {
            const r = rows[i]!;
            return (
              <div className={`task ${r.deleted ? 'deleted' : ''}`}>
                <span className="mono">{r.task}</span>
                <span className="title" title={r.title}>{r.title}{r.deleted ? ' (deleted)' : ''}</span>
                <span>{r.completed ? '✓' : ''}</span>
                <span>{node === 'server' ? (r.version ?? '') : <em className={`status ${r.status ?? ''}`}>{r.status}</em>}</span>
                <span className="mono muted">{r.write ?? '?'}</span>
              </div>
            );
          }}
        />
      )}
      {node !== 'server' && queue.length > 0 && (
        <div className="queue">
          queue: {queue.slice(0, 12).map((q) => <span key={q.write} className="chip mono">{q.write} {q.kind} {q.task}</span>)}
          {queue.length > 12 && <span className="muted"> +{queue.length - 12} more</span>}
        </div>
      )}
      {seen && <SeenRows read={seen.read} marked={seen.marked} markedTask={markedTask} onSeq={onSeq} />}
    </section>
  );
}
