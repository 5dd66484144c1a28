import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type ScheduledEvent } from '../../src/kernel/event-queue.ts';

function event(time: number, seq: number): ScheduledEvent {
  return { time, seq, callback: () => {}, fence: null, async: false, daemon: false };
}

const byTimeThenSeq = (a: ScheduledEvent, b: ScheduledEvent) => a.time - b.time || a.seq - b.seq;

describe('EventQueue', () => {
  it('is empty at first: size 0, peek and pop give undefined', () => {
    const queue = new EventQueue();
    expect(queue.size).toBe(0);
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('pops events of equal time in seq order, whatever the push order', () => {
    const queue = new EventQueue();
    for (const seq of [3, 1, 4, 0, 2]) queue.push(event(7, seq));
    const seqs = [0, 1, 2, 3, 4].map(() => queue.pop()!.seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
  });

  it('property: random pushes and pops always pop the least (time, seq), and size keeps count', () => {
    // An operation is either a push of an event at some time, or a pop.
    const operation = fc.oneof(
      { arbitrary: fc.record({ push: fc.integer({ min: 0, max: 20 }) }), weight: 3 },
      { arbitrary: fc.constant({ pop: true as const }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const queue = new EventQueue();
        const model: ScheduledEvent[] = [];
        let seq = 0;
        const popAndCompare = () => {
          model.sort(byTimeThenSeq);
          const expected = model.shift();
          expect(queue.peek()).toBe(expected);
          expect(queue.pop()).toBe(expected);
        };
        for (const op of operations) {
          if ('push' in op) {
            const e = event(op.push, seq++);
            queue.push(e);
            model.push(e);
          } else {
            popAndCompare();
          }
          expect(queue.size).toBe(model.length);
        }
        while (model.length > 0) popAndCompare();
        expect(queue.size).toBe(0);
        expect(queue.pop()).toBeUndefined();
      }),
    );
  });
});
