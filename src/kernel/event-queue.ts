import type { Fence } from './fence.ts';

/** One scheduled callback. `callback` is null once cancelled (lazy deletion). */
export interface ScheduledEvent {
  readonly time: number;
  readonly seq: number;
  callback: (() => void) | null;
  readonly fence: Fence | null;
  /** The callback may start promise work: drain microtasks before the next event. */
  readonly async: boolean;
  /** Does not keep the run alive (like an unref'd timer). */
  daemon: boolean;
}

/** A binary min-heap of events ordered by (time, seq): the same order on every run. */
export class EventQueue {
  private heap: ScheduledEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): ScheduledEvent | undefined {
    return this.heap[0];
  }

  push(event: ScheduledEvent): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(event, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  pop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const length = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childEvent = heap[left]!;
      if (right < length && before(heap[right]!, childEvent)) {
        child = right;
        childEvent = heap[right]!;
      }
      if (!before(childEvent, last)) break;
      heap[index] = childEvent;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
