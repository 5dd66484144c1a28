import type { EngineDescriptor } from '../engine.ts';
import { ReferenceEngine } from './engine.ts';

export const referenceEngine: EngineDescriptor = {
  name: 'reference',
  summary: 'local IndexedDB store with a transactional queue, HLC last-write-wins, delta pull, batched idempotent push, backoff',
  create: (ports) => new ReferenceEngine(ports),
  portsOnly: true,
};

export { ReferenceEngine };
