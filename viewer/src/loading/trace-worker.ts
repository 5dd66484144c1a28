/**
 * The trace worker reads the trace (a served URL or a dropped file) off the main thread: it
 * hands each chunk of bytes to the page, which parses lines for drawing as they arrive, and
 * keeps the text to send, at the end, the reader's and the checkers' verdict (model/judge.ts).
 * Reading here also keeps the browser's own per-response work (DevTools, when attached,
 * decodes the whole body at its end) off the page's thread.
 */
import type { Verdict } from '../model/judge.ts';

export type TraceSource = { url: string } | { file: File };

export interface ReadRequest {
  name: string;
  source: TraceSource;
}

export type WorkerReport =
  /** The chunk's buffer is transferred, not copied. */
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'end' }
  | { kind: 'verdict'; verdict: Verdict }
  /** The server has no trace to serve: the page asks for a file. */
  | { kind: 'none' }
  | { kind: 'failed'; message: string };

const report = (message: WorkerReport, transfer: Transferable[] = []) => self.postMessage(message, { transfer });

async function open(source: TraceSource): Promise<ReadableStream<Uint8Array> | null> {
  if ('file' in source) return source.file.stream();
  const response = await fetch(source.url, { cache: 'no-store' });
  // 204: `syncsim view` was given no trace; 404 or a page: a static host (or Vite's dev server) serves none.
  if (response.status === 204 || response.status === 404 || response.headers.get('content-type')?.startsWith('text/html')) return null;
  if (!response.ok || !response.body) throw new Error(`the server answered ${response.status} ${response.statusText}`);
  return response.body;
}

async function read({ name, source }: ReadRequest): Promise<void> {
  // The reader and checkers load while the trace streams in: the worker boots without them.
  const judging = import('../model/judge.ts');
  const stream = await open(source);
  if (!stream) return report({ kind: 'none' });
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(decoder.decode(value, { stream: true }));
    report({ kind: 'bytes', bytes: value }, [value.buffer]);
  }
  pieces.push(decoder.decode());
  report({ kind: 'end' });
  // Judged only now: on two cores, parsing here while the bytes stream in slows the page's
  // own parse and the first draw more than it brings the verdict forward (measured).
  const judge = new (await judging).TraceJudge(name);
  for (const piece of pieces.splice(0)) judge.push(piece);
  report({ kind: 'verdict', verdict: judge.end() });
}

self.onmessage = (event: MessageEvent<ReadRequest>) => {
  read(event.data).catch((error: Error) => report({ kind: 'failed', message: error.message }));
};
