import { errorPayload } from '../errors.ts';
import { errorReply, type Reply } from '../respond.ts';
import { taskJson } from '../wire.ts';
import type { WriteCommand } from '../commands.ts';
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
export function batchResult(index: number, outcome: WriteOutcome, command: WriteCommand) {
  // A replay shows the recorded task; id and version should describe the same one.
  const task = outcome.data ?? outcome.task;
  const knownClientId = task?.clientId ?? (command.kind === 'create' ? command.clientId : undefined);
  // The design echoes the operation's id even when no task has it.
  const id = task?.id ?? (command.kind === 'create' ? undefined : command.id);
  return {
    index,
    success: outcome.status >= 200 && outcome.status < 300,
    status: outcome.status,
    ...(id !== undefined && { id }),
    ...(task && { serverId: task.id }),
    ...(knownClientId !== undefined && { clientId: knownClientId }),
    ...(task && { version: task.version }),
    ...(outcome.data && { data: taskJson(outcome.data) }),
    ...(outcome.meta && { meta: outcome.meta }),
    ...(outcome.error && { error: errorPayload(outcome.error).error }),
  };
}
