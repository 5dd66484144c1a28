import { errorPayload } from '../errors.ts';
import { errorReply, type Reply } from '../respond.ts';
import { taskJson } from '../wire.ts';
import type { WriteOutcome } from '../writes.ts';

/** The reply of a single write call: the design's envelope `{ data, meta? }`, or the error. */
export function writeReply(outcome: WriteOutcome): Reply {
  if (outcome.error !== undefined) return errorReply(outcome.error);
  const payload = { data: outcome.data && taskJson(outcome.data), ...(outcome.meta && { meta: outcome.meta }) };
  return { status: outcome.status, payload };
}

/**
 * One entry of a batch's `results`: what the single call would have answered, flattened.
 * `serverId` is the design's name for the task's id, `id` syncsim's; both are sent.
 */
export function batchResult(index: number, outcome: WriteOutcome, clientId: string | undefined) {
  // A replay shows the recorded task; id and version should describe the same one.
  const task = outcome.data ?? outcome.task;
  const knownClientId = task?.clientId ?? clientId;
  return {
    index,
    success: outcome.status >= 200 && outcome.status < 300,
    status: outcome.status,
    ...(task && { id: task.id, serverId: task.id }),
    ...(knownClientId !== undefined && { clientId: knownClientId }),
    ...(task && { version: task.version }),
    ...(outcome.data && { data: taskJson(outcome.data) }),
    ...(outcome.meta && { meta: outcome.meta }),
    ...(outcome.error && { error: errorPayload(outcome.error).error }),
  };
}
