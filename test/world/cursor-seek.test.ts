import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originalStep, type CursorPrototype } from '../../src/world/cursor-seek.ts';
import { FakeIDBCursorPrototype, FakeIDBFactory, FakeIDBKeyRange } from '../../src/world/fake-indexeddb.ts';

type Move = { kind: 'continue' } | { kind: 'continueTo'; key: number[] } | { kind: 'advance'; count: number } | { kind: 'continuePrimaryKey'; key: number[]; primaryKey: number };

interface Walk {
  rows: { id: number; group: number; rank: number }[];
  source: 'store' | 'byGroup' | 'byPair';
  direction: IDBCursorDirection;
  range: { lower?: number[]; upper?: number[]; lowerOpen: boolean; upperOpen: boolean } | undefined;
  moves: Move[];
}

let databases = 0;

/** Opens a store of `rows` and walks one cursor through `moves`: what it saw, step by step. */
async function walk(w: Walk, yielded?: { records: number }): Promise<string[]> {
  const factory = new FakeIDBFactory();
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = factory.open(`walk-${databases++}`, 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('rows', { keyPath: 'id' });
      store.createIndex('byGroup', 'group'); // many records per key
      store.createIndex('byPair', ['group', 'rank']);
      for (const row of w.rows) store.put(row);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const seen: string[] = [];
  const tx = db.transaction('rows', 'readonly');
  const store = tx.objectStore('rows');
  const source = w.source === 'store' ? store : store.index(w.source);
  if (yielded) countYields(source, yielded);
  const scalar = (key: number[]) => (w.source === 'byPair' ? key : key[0]!);
  await new Promise<void>((resolve) => {
    let moves = 0;
    let request: IDBRequest<IDBCursorWithValue | null>;
    try {
      const range = w.range === undefined ? undefined : toRange(w.range, scalar);
      request = source.openCursor(range, w.direction);
    } catch (error) {
      seen.push(`open threw ${(error as Error).name}`);
      tx.abort();
      resolve();
      return;
    }
    request.onsuccess = () => {
      const cursor = request.result;
      if (cursor === null) {
        seen.push('end');
        return;
      }
      seen.push(`${JSON.stringify(cursor.key)}/${JSON.stringify(cursor.primaryKey)}`);
      const move = w.moves[moves++];
      if (move === undefined) return;
      try {
        if (move.kind === 'continue') cursor.continue();
        else if (move.kind === 'continueTo') cursor.continue(scalar(move.key));
        else if (move.kind === 'advance') cursor.advance(move.count);
        else cursor.continuePrimaryKey(scalar(move.key), move.primaryKey);
      } catch (error) {
        seen.push(`threw ${(error as Error).name}`);
      }
    };
    tx.oncomplete = () => resolve();
    tx.onabort = () => resolve();
  });
  db.close();
  return seen;
}

/** Counts every record the source's record tree hands to cursor steps (fake-indexeddb internals). */
function countYields(source: IDBObjectStore | IDBIndex, yielded: { records: number }): void {
  const raw = source as unknown as { _rawIndex?: { records: RecordStore }; _rawObjectStore: { records: RecordStore } };
  const records = (raw._rawIndex ?? raw._rawObjectStore).records;
  const values = records.values.bind(records);
  records.values = (...args) => {
    const iterable = values(...args);
    return {
      [Symbol.iterator]: () => {
        const iterator = iterable[Symbol.iterator]();
        return { next: () => (yielded.records++, iterator.next()) };
      },
    };
  };
}

interface RecordStore {
  values(...args: unknown[]): Iterable<unknown>;
}

function toRange(r: NonNullable<Walk['range']>, scalar: (key: number[]) => IDBValidKey): IDBKeyRange | undefined {
  if (r.lower !== undefined && r.upper !== undefined) return FakeIDBKeyRange.bound(scalar(r.lower), scalar(r.upper), r.lowerOpen, r.upperOpen);
  if (r.lower !== undefined) return FakeIDBKeyRange.lowerBound(scalar(r.lower), r.lowerOpen);
  if (r.upper !== undefined) return FakeIDBKeyRange.upperBound(scalar(r.upper), r.upperOpen);
  return undefined;
}

/** Runs `body` with fake-indexeddb's own step in place of the seeking one. */
async function withOriginalStep<T>(body: () => Promise<T>): Promise<T> {
  const prototype = FakeIDBCursorPrototype as CursorPrototype;
  const seeking = prototype._iterate;
  prototype._iterate = originalStep(prototype)!;
  try {
    return await body();
  } finally {
    prototype._iterate = seeking;
  }
}

const small = fc.integer({ min: 0, max: 6 });
const pair = fc.tuple(small, small);
const walks: fc.Arbitrary<Walk> = fc.record({
  rows: fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 40 }), group: small, rank: small }), { selector: (r) => r.id, maxLength: 30 }),
  source: fc.constantFrom('store' as const, 'byGroup' as const, 'byPair' as const),
  direction: fc.constantFrom<IDBCursorDirection>('next', 'prev', 'nextunique', 'prevunique'),
  range: fc.option(fc.record({ lower: fc.option(pair, { nil: undefined }), upper: fc.option(pair, { nil: undefined }), lowerOpen: fc.boolean(), upperOpen: fc.boolean() }), { nil: undefined }),
  moves: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant({ kind: 'continue' as const }) },
      { weight: 2, arbitrary: pair.map((key) => ({ kind: 'continueTo' as const, key })) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ kind: 'advance' as const, count })) },
      { weight: 1, arbitrary: fc.tuple(pair, fc.integer({ min: 0, max: 40 })).map(([key, primaryKey]) => ({ kind: 'continuePrimaryKey' as const, key, primaryKey })) },
    ),
    { maxLength: 40 },
  ),
});

describe('a cursor step that seeks to its position', () => {
  it('visits exactly what fake-indexeddb’s own step visits, with the same errors, on any store, range and walk', async () => {
    await fc.assert(
      fc.asyncProperty(walks, async (w) => {
        const seeking = await walk(w);
        const original = await withOriginalStep(() => walk(w));
        expect(seeking).toEqual(original);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('walks each record about once per step in a bounded scan (the original re-walks from the range start)', async () => {
    const rows = Array.from({ length: 400 }, (_, id) => ({ id, group: id % 3, rank: id }));
    const w: Walk = { rows, source: 'byPair', direction: 'next', range: { lower: [0, 0], upper: [9, 9], lowerOpen: false, upperOpen: false }, moves: Array.from({ length: 400 }, () => ({ kind: 'continue' as const })) };
    const seekingCost = { records: 0 };
    const originalCost = { records: 0 };
    const seeking = await walk(w, seekingCost);
    expect(seeking).toHaveLength(401); // 400 records, then the end
    expect(seeking).toEqual(await withOriginalStep(() => walk(w, originalCost)));
    expect(seekingCost.records).toBeLessThan(3 * 400);
    expect(originalCost.records).toBeGreaterThan(400 * 100); // what the patch is for

  });
});
