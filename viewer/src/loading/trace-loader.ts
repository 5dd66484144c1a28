/**
 * Loads a trace in the browser along two paths at once: the trace worker reads it and hands
 * each chunk of bytes to the page, which parses lines as they arrive and draws as soon as the
 * last one is in; meanwhile the worker runs the validating reader and the checkers. The
 * worker has the last word: a trace it rejects is shown as its located message, even after
 * it was drawn.
 */
import type { Verdict } from '../model/judge.ts';
import { IncrementalParser } from '../model/incremental-parse.ts';
import { modelOf, type LoadedTrace } from '../model/load.ts';
import type { ReadRequest, TraceSource, WorkerReport } from './trace-worker.ts';

export type { TraceSource };

/** What the page can draw: the model, nothing (a line it could not read), or no trace at all. */
export type Drawable = { kind: 'model'; trace: LoadedTrace } | { kind: 'unreadable' } | { kind: 'none' };

export interface TraceLoad {
  drawable: Promise<Drawable>;
  /** Also says why a trace could not be read at all (the server failed, the file went away). */
  verdict: Promise<Verdict>;
  /** Stops reading and checking (a newer load replaces this one). */
  cancel(): void;
}

const newWorker = () => new Worker(new URL('./trace-worker.ts', import.meta.url), { type: 'module' });

/** A worker started with the page, so that the first load does not wait for one to boot. */
let spare: Worker | undefined = newWorker();

export function loadTrace(name: string, source: TraceSource): TraceLoad {
  const started = performance.now();
  const worker = spare ?? newWorker();
  spare = undefined;
  const parser = new IncrementalParser();
  let firstBytes: number | undefined;
  let drawn: (drawable: Drawable) => void = () => undefined;
  let judged: (verdict: Verdict) => void = () => undefined;
  const drawable = new Promise<Drawable>((resolve) => (drawn = resolve));
  const verdict = new Promise<Verdict>((resolve) => (judged = resolve));
  const failed = (message: string) => {
    drawn({ kind: 'unreadable' });
    judged({ ok: false, message: `${name}: ${message}` });
  };

  worker.onmessage = (event: MessageEvent<WorkerReport>) => {
    const report = event.data;
    switch (report.kind) {
      case 'bytes':
        firstBytes ??= Math.round(performance.now() - started);
        parser.pushBytes(report.bytes);
        break;
      case 'end': {
        parser.end();
        const phases = { firstBytes: firstBytes ?? 0, read: Math.round(performance.now() - started), parse: Math.round(parser.parseMs) };
        drawn(parser.readable && parser.events.length > 0 ? { kind: 'model', trace: modelOf(name, parser.events, phases) } : { kind: 'unreadable' });
        break;
      }
      case 'verdict':
        judged(report.verdict);
        worker.terminate();
        break;
      case 'none': drawn({ kind: 'none' }); break;
      case 'failed': failed(report.message); break;
      default: report satisfies never;
    }
  };
  worker.onerror = (event) => failed(`the trace worker stopped (${event.message})`);
  worker.postMessage({ name, source } satisfies ReadRequest);
  return { drawable, verdict, cancel: () => worker.terminate() };
}
