import { expectThat } from '../rule.ts';
import type { SeenTask, UserApi } from '../user-api.ts';

/** Since `since`, `task` is as it was made (not updated, not deleted), and no task has `intruder`'s clientId, when given. */
export async function expectUnchanged(user: UserApi, since: number, task: SeenTask, intruder: string | undefined, when: string): Promise<void> {
  const page = await user.changes(since);
  const now = page.tasks.find((t) => t.id === task.id);
  expectThat(!page.deletedTaskIds.includes(task.id), `${when}, user ${user.label}'s task ${task.id} was deleted`, page.exchange);
  expectThat(now !== undefined, `${when}, user ${user.label}'s task ${task.id} is missing from its delta`, page.exchange);
  expectThat(now.title === task.title && now.version === task.version, `${when}, user ${user.label}'s task ${task.id} changed: title ${JSON.stringify(now.title)}, version ${now.version}`, page.exchange);
  expectThat(intruder === undefined || !page.tasks.some((t) => t.clientId === intruder), `${when}, user ${user.label} has a task with clientId ${intruder} that only the refused request named`, page.exchange);
}
