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
  // The page gets each chunk's buffer; a copy stays here for the run.end hash.
  const copies: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(decoder.decode(value, { stream: true }));
    copies.push(value.slice());
    length += value.length;
    report({ kind: 'bytes', bytes: value }, [value.buffer]);
  }
  pieces.push(decoder.decode());
  report({ kind: 'end' });
  // Judged only now: on two cores, parsing here while the bytes stream in slows the page's
  // own parse and the first draw more than it brings the verdict forward (measured).
  const data = concat(copies, length);
  const hash = async (upTo: number) => hex(await crypto.subtle.digest('SHA-256', data.subarray(0, upTo)));
  const { judgeStreamed } = await judging;
  report({ kind: 'verdict', verdict: await judgeStreamed({ name, pieces, bytes: { data, hash } }) });
}

function concat(chunks: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks.splice(0)) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

self.onmessage = (event: MessageEvent<ReadRequest>) => {
  read(event.data).catch((error: Error) => report({ kind: 'failed', message: error.message }));
};
