import type { Exchange } from '../http-client.ts';
import { expectStatus, expectThat, violation, type RuleContext, type ServerRule } from '../rule.ts';
import type { SeenPage, SeenTask } from '../user-api.ts';

const TASKS = 9;
const PAGE = 3;
/** Writes happen between the first pages only, so the pull ends. */
const WRITING_PAGES = 4;
const MAX_PAGES = 40;

/** What the pages showed last of each task: its version, or deleted. */
type Shown = { version: number; title: string } | 'deleted';

/**
 * Changes made between page reads: an update of a task an earlier page showed, one of a task
 * not shown yet, a new task, and a delete. Offset paging or a cursor read apart from its page
 * skips one of them; a page that restarts repeats one.
 */
async function writeBetweenPages(ctx: RuleContext, tasks: SeenTask[], step: number, deleted: Set<string>): Promise<void> {
  const stamp = `s-${String(100 + step).padStart(3, '0')}`;
  for (const task of [tasks[step], tasks[TASKS - 1 - step]]) {
    if (task === undefined || deleted.has(task.id)) continue;
    const reply = await ctx.a.update(task.id, { title: `${task.title} @${step}`, stamp, device: 'conform' });
    expectStatus(reply, 200, `an update between page reads (step ${step})`);
  }
  tasks.push(await ctx.a.createNew(ctx.unique(`paged-new-${step}`)));
  const victim = tasks[4 + step];
  if (step === 1 && victim !== undefined && !deleted.has(victim.id)) {
    expectStatus(await ctx.a.remove(victim.id), [200, 204], 'a delete between page reads');
    deleted.add(victim.id);
  }
}

/** A change the pages showed twice, or never. */
interface Anomaly {
  text: string;
  exchange: Exchange;
}

/** Records a page; a change shown twice (the same task at the same version, or a deletion again) is a repeat. */
function record(page: SeenPage, shown: Map<string, Shown>, ours: Set<string>, pairs: Set<string>, pageNumber: number, repeats: Anomaly[]): void {
  for (const task of page.tasks) {
    if (!ours.has(task.id)) continue;
    const pair = `${task.id}@${task.version}`;
    if (pairs.has(pair)) repeats.push({ text: `page ${pageNumber} repeats task ${task.id} at version ${task.version}`, exchange: page.exchange });
    pairs.add(pair);
    shown.set(task.id, { version: task.version, title: task.title });
  }
  for (const id of page.deletedTaskIds) {
    if (!ours.has(id)) continue;
    if (pairs.has(`${id}@deleted`)) repeats.push({ text: `page ${pageNumber} repeats the deletion of task ${id}`, exchange: page.exchange });
    pairs.add(`${id}@deleted`);
    shown.set(id, 'deleted');
  }
}

/** The changes the pages never showed: where they ended for a task is not where the server has it. */
function skipped(tasks: readonly SeenTask[], shown: Map<string, Shown>, truth: SeenPage, since: number): Anomaly[] {
  const found: Anomaly[] = [];
  const describe = (last: Shown | undefined) => (last === undefined ? 'never shown' : last === 'deleted' ? 'shown deleted' : `shown at version ${last.version}`);
  for (const task of tasks) {
    const last = shown.get(task.id);
    if (truth.deletedTaskIds.includes(task.id)) {
      if (last !== 'deleted') found.push({ text: `the deletion of task ${task.id} (${describe(last)})`, exchange: truth.exchange });
      continue;
    }
    const now = truth.tasks.find((t) => t.id === task.id);
    expectThat(now !== undefined, `task ${task.id} is missing from the unpaged pull since ${since}`, truth.exchange);
    if (last === undefined || last === 'deleted' || last.version !== now.version) {
      found.push({ text: `task ${task.id} at version ${now.version} (${describe(last)})`, exchange: truth.exchange });
    }
  }
  return found;
}

export const paginationRules: ServerRule[] = [
  {
    name: 'pagination/concurrent-writes',
    says: 'paging with limit through a delta while writes happen between page reads never skips or repeats a change',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const tasks: SeenTask[] = [];
      for (let i = 0; i < TASKS; i++) tasks.push(await ctx.a.createNew(ctx.unique(`paged-${i}`)));
      const deleted = new Set<string>();
      const shown = new Map<string, Shown>();
      const pairs = new Set<string>();
      const repeats: Anomaly[] = [];
      let cursor = since;
      let pages = 0;
      for (;;) {
        expectThat(pages < MAX_PAGES, `the paged pull did not end after ${MAX_PAGES} pages of ${PAGE}`);
        const page = await ctx.a.pull(cursor, PAGE);
        pages++;
        const ours = new Set(tasks.map((t) => t.id));
        expectThat(page.tasks.length + page.deletedTaskIds.length <= PAGE, `page ${pages} holds ${page.tasks.length + page.deletedTaskIds.length} changes with limit=${PAGE}`, page.exchange);
        record(page, shown, ours, pairs, pages, repeats);
        const empty = page.tasks.length + page.deletedTaskIds.length === 0;
        expectThat(empty ? page.nextCursor >= cursor : page.nextCursor > cursor, `page ${pages} (since=${cursor}) answered nextCursor ${page.nextCursor}`, page.exchange);
        cursor = page.nextCursor;
        if (pages <= WRITING_PAGES) await writeBetweenPages(ctx, tasks, pages - 1, deleted);
        else if (!page.hasMore) break;
      }
      // With the writes over, one unpaged pull is the truth the pages must have ended at.
      const truth = await ctx.a.changes(since);
      const skips = skipped(tasks, shown, truth, since);
      const parts = [
        ...(skips.length > 0 ? [`skipped ${skips.length} change${skips.length === 1 ? '' : 's'} (${skips.map((a) => a.text).join('; ')})`] : []),
        ...(repeats.length > 0 ? [`repeated ${repeats.length} (${repeats.map((a) => a.text).join('; ')})`] : []),
      ];
      const first = skips[0] ?? repeats[0];
      if (first !== undefined) violation(`paging by ${PAGE} with writes between page reads, the pages ${parts.join(' and ')}`, first.exchange);
    },
  },
];
