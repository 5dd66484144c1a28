import { expectErrorShape, expectStatus, expectThat, type ServerRule } from '../rule.ts';

/** Far enough ahead of any server's change count, and still a safe integer. */
const AHEAD = 1_000_000_000;

export const cursorRules: ServerRule[] = [
  {
    name: 'cursor/monotonic',
    says: "the cursor is the server's change sequence: every change moves it forward, a pull from it shows what came after, nextCursor never goes back",
    dialect: 'both',
    async run(ctx) {
      const c0 = await ctx.a.cursor();
      const task = await ctx.a.createNew(ctx.unique('cursor'));
      const c1 = await ctx.a.cursor();
      expectThat(c1 > c0, `a create did not move the status cursor forward (${c0} → ${c1})`);
      const first = await ctx.a.pull(c0);
      expectThat(first.tasks.some((t) => t.id === task.id), `a pull since ${c0} (before the create) misses task ${task.id}`, first.exchange);
      expectThat(first.nextCursor > c0, `a pull since ${c0} that shows a change answered nextCursor ${first.nextCursor}`, first.exchange);
      const rest = await ctx.a.pull(first.nextCursor);
      expectThat(!rest.tasks.some((t) => t.id === task.id), `a pull since nextCursor ${first.nextCursor} shows task ${task.id} again, unchanged`, rest.exchange);
      expectThat(rest.nextCursor >= first.nextCursor, `a pull since ${first.nextCursor} answered nextCursor ${rest.nextCursor}, behind it`, rest.exchange);
      const update = await ctx.a.update(task.id, { title: 'moved', stamp: 's-002', device: 'conform' });
      expectStatus(update, 200, 'an update');
      const c2 = await ctx.a.cursor();
      expectThat(c2 > c1, `an update did not move the status cursor forward (${c1} → ${c2})`);
      const after = await ctx.a.pull(rest.nextCursor);
      expectThat(after.tasks.some((t) => t.id === task.id && t.title === 'moved'), `a pull since ${rest.nextCursor} misses the update of task ${task.id} made after it`, after.exchange);
    },
  },
  {
    name: 'cursor/ahead',
    says: "a cursor ahead of the server's is 409 CURSOR_AHEAD (so a client can start over after the server lost data), on pulls and batches",
    dialect: 'both',
    async run(ctx) {
      const ahead = (await ctx.a.cursor()) + AHEAD;
      const pull = await ctx.a.send({ method: 'GET', path: `/v1/tasks?since=${ahead}` });
      expectStatus(pull, 409, `a pull since ${ahead}, ahead of the server`);
      expectErrorShape(pull, 'the pull ahead', 'CURSOR_AHEAD');
      const batch = await ctx.a.batch({ operations: [], cursor: ahead });
      expectStatus(batch, 409, `a batch with cursor ${ahead}, ahead of the server`);
      expectErrorShape(batch, 'the batch ahead', 'CURSOR_AHEAD');
    },
  },
];
