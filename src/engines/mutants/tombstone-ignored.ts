import { defineMutant } from './define.ts';

export const tombstoneIgnored = defineMutant(
  'tombstone-ignored',
  'a delta pull ignores its tombstones: a task deleted on another device stays live here',
  'convergence: a device keeps showing a task the server has deleted',
  // DEFECT: the page's tombstones are dropped (the cursor still moves past them).
  { pulledPage: (page) => ({ ...page, deletedTaskIds: [], deletedTasks: [] }) },
);
