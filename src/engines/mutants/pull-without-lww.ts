import { mergeRemote } from '../reference/reconcile.ts';
import { defineMutant } from './define.ts';

export const pullWithoutLww = defineMutant(
  'pull-without-lww',
  "a server task always overwrites the local row, without comparing stamps (dropping newer pending local edits)",
  'lww: a newer offline edit is overwritten by an older one pulled from the server',
  {
    merge: (row, remote) => {
      if (row === undefined) return mergeRemote(row, remote);
      // DEFECT: the remote value is taken whatever its stamp.
      const version = Math.max(row.version ?? 0, remote.version);
      const { title, completed, deleted, write, stamp, device } = remote;
      return { row: { ...row, serverId: remote.id, title, completed, deleted, write, stamp, device, version, status: 'synced' }, took: true, localWins: false };
    },
  },
);
