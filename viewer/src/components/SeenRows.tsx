import type { ReadRow } from '../model/reads.ts';
import { formatTime } from './format.ts';
import { VirtualList } from './VirtualList.tsx';

/** A device's latest read at the playhead: what its user saw, as the harness recorded it. */
export interface SeenRead {
  seq: number;
  t: number;
  cause: string;
  rows: ReadRow[];
}

interface Props {
  /** Undefined before the device's first read. */
  read: SeenRead | undefined;
  /** The read is evidence of the selected violation. */
  marked: boolean;
  /** The selected violation's task, its row marked. */
  markedTask: string | undefined;
  onSeq: (seq: number) => void;
}

/** "What the user saw": the rows of the read, beside the rows the engine recorded. Titles are React text, never HTML. */
export function SeenRows({ read, marked, markedTask, onSeq }: Props) {
  return (
    <div className={`seen ${marked ? 'marked' : ''}`} data-testid="seen">
      <div className="seen-head">
        what the user saw{' '}
        {read === undefined
          ? <span className="muted">no read yet</span>
          : (
            <span className="muted">
              {read.rows.length} row{read.rows.length === 1 ? '' : 's'} ·{' '}
              <button type="button" className="chip seq" onClick={() => onSeq(read.seq)}>read #{read.seq}</button> at {formatTime(read.t)} ({read.cause || '?'})
            </span>
          )}
      </div>
      {read !== undefined && read.rows.length > 0 && (
        <VirtualList
          count={read.rows.length}
          rowHeight={22}
          height={Math.min(154, read.rows.length * 22 + 2)}
          label="what the user saw"
          row={(i) => {
            const r = read.rows[i]!;
            return (
              <div className={`task seen-row ${r.task === markedTask ? 'marked' : ''}`}>
                <span className="mono">{r.task}</span>
                <span className="title" title={r.title}>{r.title}</span>
                <span>{r.completed ? '✓' : ''}</span>
                <span className="mono muted">{r.id}</span>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
