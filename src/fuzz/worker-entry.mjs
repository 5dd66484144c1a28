// The fuzz worker thread's entry. On Node 20, `--import tsx` in a worker's execArgv does
// not reach the worker's own module loading, so the worker registers tsx itself and then
// loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
