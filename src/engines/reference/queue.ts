import type { QueuedOp } from './model.ts';

/**
 * Coalescing of queued writes to one task. `ops` are the task's queued ops in queue order;
 * the result is the list to store instead. An op that was never sent can still change
 * (nobody has seen it); an op that was sent must stay as it was, because the server may
 * have applied it under its idempotency key, so later writes queue behind it. A parked op
 * (refused for good) is unsent too: a new write folds into it and so sends it again.
 */
export function enqueue(ops: readonly QueuedOp[], incoming: QueuedOp): QueuedOp[] {
  const last = ops[ops.length - 1];
  if (incoming.kind === 'delete' && ops[0]?.kind === 'create' && !ops[0].sent) {
    // The create never left the device: the task never existed anywhere else.
    return [];
  }
  if (last === undefined || last.sent) return [...ops, incoming];
  const merged = fold(last, incoming);
  return [...ops.slice(0, -1), merged];
}

/** `incoming` folded into an unsent `last`: the queue position and key stay, the value is the latest. */
function fold(last: QueuedOp, incoming: QueuedOp): QueuedOp {
  const kind = last.kind === 'create' && incoming.kind === 'update' ? 'create' : incoming.kind;
  return { ...incoming, kind, key: last.key, attempts: last.attempts, sent: false, ...(last.seq !== undefined && { seq: last.seq }) };
}

/** Folds a list of writes one by one, as the store does write by write. */
export function coalesce(writes: readonly QueuedOp[]): QueuedOp[] {
  return writes.reduce<QueuedOp[]>((ops, write) => enqueue(ops, write), []);
}
