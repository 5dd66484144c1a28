export type * from './events.ts';
export { parseTrace, TraceFormatError } from './reader.ts';
export { TraceRecorder, type TraceSink } from './recorder.ts';
