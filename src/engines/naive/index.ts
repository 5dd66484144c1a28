import type { EngineDescriptor } from '../engine.ts';
import { NaiveEngine } from './engine.ts';

export const naiveEngine: EngineDescriptor = {
  name: 'naive',
  summary: "the design document's code taken literally, defects included",
  create: (ports) => new NaiveEngine(ports),
};
