import { mergeRemote } from '../reference/reconcile.ts';
import { defineMutant } from './define.ts';

export const deleteNotFinal = defineMutant(
  'delete-not-final',
  'a local tombstone is revived by a pulled update with a greater stamp (the delete is not final)',
  'no-resurrection: a task deleted on this device comes back live on it',
  {
    merge: (row, remote) => {
      if (row !== undefined && row.deleted && !remote.deleted && remote.stamp > row.stamp) {
        // DEFECT: plain stamp order between a tombstone and a live value.
        return mergeRemote({ ...row, deleted: false }, remote);
      }
      return mergeRemote(row, remote);
    },
  },
);
