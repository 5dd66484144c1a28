export type * from './events.ts';
export { parseTrace, runEndMismatch, TraceFormatError, TraceReader, type TraceReaderOptions } from './reader.ts';
export { TraceRecorder, type TraceSink } from './recorder.ts';
export { expandReads, ReadChainError, ReadEncoder, ReadViews } from './reads.ts';
