import { expectErrorShape, expectStatus, expectThat, isObject, type ServerRule } from '../rule.ts';
import { readTask, taskOf, type SeenTask, type UserApi } from '../user-api.ts';

/** The task's latest state among the changes after `since`: live, deleted, or absent. */
async function stateAfter(user: UserApi, since: number, id: string) {
  const page = await user.changes(since);
  return { live: page.tasks.find((t) => t.id === id), deleted: page.deletedTaskIds.includes(id), page };
}

export const writeRules: ServerRule[] = [
  {
    name: 'conflict/stale-version',
    says: 'PUT with a stale version is 409 VERSION_CONFLICT with serverData (the server\'s task), and changes nothing',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const task = await ctx.a.createNew(ctx.unique('versioned'));
      const second = await ctx.a.update(task.id, { title: 'second', version: task.version, stamp: 's-002', device: 'conform' });
      expectStatus(second, 200, 'an update at the current version');
      const current = taskOf(second, 'the update at the current version');
      const stale = await ctx.a.update(task.id, { title: 'stale', version: task.version, stamp: 's-003', device: 'conform' });
      expectStatus(stale, 409, `an update at the stale version ${task.version} (the task is at ${current.version})`);
      const error = expectErrorShape(stale, 'the 409', 'VERSION_CONFLICT');
      const server = readTask(error['serverData'], 'the 409\'s error.serverData', stale);
      expectThat(server.id === task.id && server.version === current.version && server.title === 'second', `the 409's serverData is not the server's task (version ${server.version}, title ${JSON.stringify(server.title)})`, stale);
      const after = await stateAfter(ctx.a, since, task.id);
      expectThat(after.live?.title === 'second', `after the refused stale update task ${task.id} reads ${JSON.stringify(after.live?.title)}`, after.page.exchange);
    },
  },
  {
    name: 'lww/stamp-order',
    says: 'last-write-wins by stamp, ties broken by device id: an older stamp never overwrites a newer one',
    dialect: 'syncsim',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const task = await ctx.a.createNew(ctx.unique('lww'));
      const writes: Array<{ title: string; stamp: string; device: string; wins: boolean }> = [
        { title: 'newer', stamp: 's-005', device: 'd1', wins: true },
        { title: 'older', stamp: 's-003', device: 'd9', wins: false },
        { title: 'tie, lower device', stamp: 's-005', device: 'd0', wins: false },
        { title: 'tie, higher device', stamp: 's-005', device: 'd2', wins: true },
      ];
      let expected = task.title;
      for (const write of writes) {
        const reply = await ctx.a.update(task.id, { title: write.title, stamp: write.stamp, device: write.device });
        // A loss may be 200 with the server's task or a 409; a win is 200.
        expectStatus(reply, write.wins ? 200 : [200, 409], `the update "${write.title}" (stamp ${write.stamp}, device ${write.device})`);
        if (write.wins) expected = write.title;
        const after = await stateAfter(ctx.a, since, task.id);
        expectThat(after.live?.title === expected, `after the update "${write.title}" (stamp ${write.stamp}, device ${write.device}) the task reads ${JSON.stringify(after.live?.title)}, not ${JSON.stringify(expected)}`, reply);
      }
    },
  },
  {
    name: 'tombstones/in-delta',
    says: 'DELETE is a soft delete: the tombstone is in deletedTaskIds of every pull after the delete, and not among the live tasks',
    dialect: 'both',
    async run(ctx) {
      const before = await ctx.a.cursor();
      const task = await ctx.a.createNew(ctx.unique('tombstone'));
      const made = await ctx.a.cursor();
      const removed = await ctx.a.remove(task.id);
      expectStatus(removed, [200, 204], 'the delete');
      for (const since of [before, made]) {
        const after = await stateAfter(ctx.a, since, task.id);
        expectThat(after.deleted, `a pull since ${since} does not list the deleted task ${task.id} in deletedTaskIds`, after.page.exchange);
        expectThat(after.live === undefined, `a pull since ${since} lists the deleted task ${task.id} as live`, after.page.exchange);
      }
    },
  },
  {
    name: 'tombstones/delete-final',
    says: 'a delete is final: an update after it is refused (single or batch), and a create with its clientId does not revive it',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const task = await ctx.a.createNew(ctx.unique('final'));
      expectStatus(await ctx.a.remove(task.id), [200, 204], 'the delete');
      const update = await ctx.a.update(task.id, { title: 'revived', stamp: 's-999', device: 'zzz' });
      expectThat(update.status >= 400 && update.status < 500, `an update of the deleted task ${task.id} answered ${update.status}, not a 4xx refusal`, update);
      expectErrorShape(update, 'the refused update');
      const batch = await ctx.a.batch({ operations: [{ type: 'update', id: task.id, title: 'revived', stamp: 's-999', device: 'zzz' }], cursor: since });
      expectStatus(batch, 200, 'a batch updating the deleted task');
      const result = isObject(batch.json) && Array.isArray(batch.json['results']) ? batch.json['results'][0] : undefined;
      expectThat(isObject(result) && result['success'] === false, `a batch update of the deleted task ${task.id} succeeded`, batch);
      const again = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId: task.clientId, title: 'revived', completed: false, stamp: 's-999' } });
      expectThat(again.status < 500, `a create repeating the deleted task's clientId answered ${again.status}`, again);
      const after = await stateAfter(ctx.a, since, task.id);
      const revived: SeenTask | undefined = after.page.tasks.find((t) => t.clientId === task.clientId);
      expectThat(revived === undefined, `the deleted task's clientId ${task.clientId} is live again as task ${revived?.id ?? ''} (${JSON.stringify(revived?.title)})`, again);
      expectThat(after.deleted, `task ${task.id} is no longer a tombstone in the delta`, after.page.exchange);
    },
  },
];
