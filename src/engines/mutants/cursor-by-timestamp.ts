import { defineMutant } from './define.ts';

/**
 * Emulates a pull cursor kept as "the last change's timestamp" read with `since >`: when a
 * page ends with more to come, the next page starts one change too late, so the change
 * right after each page boundary (one made in the same millisecond) is never pulled.
 */
export const cursorByTimestamp = defineMutant(
  'cursor-by-timestamp',
  'after a full page the pull cursor skips one change (a timestamp cursor skipping same-millisecond changes)',
  'convergence: a device paging through a large delta never receives some tasks',
  // DEFECT: nextCursor + 1 where the page has more.
  { pulledPage: (page) => (page.hasMore ? { ...page, nextCursor: page.nextCursor + 1 } : page) },
);
