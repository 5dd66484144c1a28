import type { Violation } from '../../../src/check/verdict.ts';
import type { CheckView, RunView } from '../model/judge.ts';

interface Props {
  /** Undefined while the checkers run. */
  results: readonly CheckView[] | undefined;
  /** The run's verdict, as `syncsim run` gave it. */
  run: RunView | undefined;
  selected: Violation | null;
  onSelect: (violation: Violation) => void;
  onSeq: (seq: number) => void;
}

/** Each checker's verdict; each violation links to the seqs that prove it. */
export function CheckerPanel({ results, run, selected, onSelect, onSeq }: Props) {
  if (results === undefined) return <section className="checkers"><h2>Checkers</h2><p className="muted" data-testid="checking">checking…</p></section>;
  if (results.length === 0) return <section className="checkers"><h2>Checkers</h2><p className="muted">the checkers could not run on this trace</p></section>;
  return (
    <section className="checkers" aria-label="checkers">
      <h2>Checkers</h2>
      {run !== undefined && (
        <div className={`run-verdict ${run.ok ? 'ok' : 'fail'}`} data-testid="run-verdict">
          <strong>{run.ok ? (run.expectedViolations.length > 0 ? 'PASS (expected fail)' : 'PASS') : 'FAIL'}</strong>
          {run.failures.length > 0 && (
            <ul>{run.failures.map((f, i) => <li key={i}>{f.what}: {f.message}</li>)}</ul>
          )}
        </div>
      )}
      {results.map((r) => {
        const total = r.stats?.violations ?? r.violations.length;
        return (
          <div key={r.checker} className={`checker ${r.ok ? 'ok' : 'fail'}`} data-checker={r.checker}>
            <div className="verdict">
              <span className="badge">{r.ok ? 'ok' : `FAIL ×${total}`}</span> {r.checker}{r.expected && <span className="muted"> (expected)</span>}
            </div>
            {r.violations.length > 0 && (
              <ol className="violations">
                {r.violations.map((v, i) => (
                  <li key={i} className={v === selected ? 'selected' : ''}>
                    <button type="button" className="violation" onClick={() => onSelect(v)}>
                      {v.message}
                    </button>
                    <div className="seqs">
                      {v.seqs.map((s) => (
                        <button type="button" key={s} className="chip seq" onClick={() => onSeq(s)}>#{s}</button>
                      ))}
                    </div>
                  </li>
                ))}
                {total > r.violations.length && <li className="muted">… {total - r.violations.length} more not kept</li>}
              </ol>
            )}
          </div>
        );
      })}
    </section>
  );
}
