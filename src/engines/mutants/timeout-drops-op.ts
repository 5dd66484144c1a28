import { RequestFailure } from '../reference/api-client.ts';
import { defineMutant } from './define.ts';

export const timeoutDropsOp = defineMutant(
  'timeout-drops-op',
  'a batch that timed out is assumed delivered: its ops are removed from the queue',
  'durability: a write whose request was lost never reaches the server',
  {
    onFailedSync: (tx, sent, error) => {
      if (!(error instanceof RequestFailure && error.reason === 'timeout')) return;
      for (const { op } of sent) tx.deleteOp(op.seq); // DEFECT: "no answer" taken as "applied"
    },
  },
);
