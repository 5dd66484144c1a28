import fc from 'fast-check';
import type { Step } from '../scenario/index.ts';

/** Draws values from one fast-check generator stream (`fc.gen()`), so the seed decides everything. */
export class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return this.g(fc.integer, { min: Math.ceil(min), max: Math.floor(max) });
  }

  /** True with probability `p` (to 1/1000). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.int(0, 999) < Math.round(p * 1000);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }
}

interface Entry {
  at: number;
  /** Position among steps at the same `at`. */
  rank: number;
  index: number;
  step: Step;
}

/**
 * The steps of a scenario being generated. Steps at the same `at` run in file order, so a
 * fault can be placed right after (a crash) or right before (failing storage) a given write.
 */
export class Timeline {
  private readonly entries: Entry[] = [];
  /** User writes, for faults that aim at one. */
  readonly writes: Entry[] = [];
  /** Writes and syncs: the steps that start a request soon. */
  readonly requests: Entry[] = [];

  constructor(readonly duration: number) {}

  add(step: Step, rank = this.entries.length): Entry {
    const entry = { at: Math.min(Math.max(0, step.at), this.duration), rank, index: this.entries.length, step };
    entry.step = { ...step, at: entry.at };
    this.entries.push(entry);
    return entry;
  }

  addWrite(step: Step): void {
    const entry = this.add(step);
    this.writes.push(entry);
    this.requests.push(entry);
  }

  addRequest(step: Step): void {
    this.requests.push(this.add(step));
  }

  /** At the same instant as `ref`, just after it in file order. */
  addAfter(ref: Entry, step: Step): void {
    this.add({ ...step, at: ref.at }, ref.rank + 0.5);
  }

  /** At the same instant as `ref`, just before it in file order. */
  addBefore(ref: Entry, step: Step): void {
    this.add({ ...step, at: ref.at }, ref.rank - 0.5);
  }

  steps(): Step[] {
    return [...this.entries].sort((a, b) => a.at - b.at || a.rank - b.rank || a.index - b.index).map((e) => e.step);
  }
}
