import { str, type TraceIndex } from '../model/trace-index.ts';

interface Props {
  index: TraceIndex;
  onSeq: (seq: number) => void;
}

/** Shown, at most, this many; the event list has the rest. */
const SHOWN = 50;

/** The engine's errors the harness caught (SPEC §5 `engine-error`), each with its text and a link to its event. */
export function EngineErrors({ index, onSeq }: Props) {
  const seqs = index.engineErrorSeqs;
  if (seqs.length === 0) return null;
  return (
    <section className="engine-errors" aria-label="engine errors" data-testid="engine-errors">
      <h2><span className="badge">×{seqs.length}</span> engine error{seqs.length === 1 ? '' : 's'}</h2>
      <ol>
        {seqs.slice(0, SHOWN).map((seq) => {
          const e = index.events[seq] as Record<string, unknown>;
          const step = typeof e.step === 'number' ? ` · line ${e.step}` : '';
          return (
            <li key={seq} className="engine-error">
              <button type="button" className="chip seq" onClick={() => onSeq(seq)}>#{seq}</button>{' '}
              <span className="muted">{str(e.device)} · {str(e.call) || '?'}{step}</span>
              <div className="mono error-text">{str(e.error)}</div>
              {typeof e.stack === 'string' && e.stack !== '' && (
                <details><summary className="muted">stack</summary><pre className="mono">{e.stack}</pre></details>
              )}
            </li>
          );
        })}
        {seqs.length > SHOWN && <li className="muted">… {seqs.length - SHOWN} more in the event list</li>}
      </ol>
    </section>
  );
}
