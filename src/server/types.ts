/** A task as it travels on the wire and as the server stores it. */
export interface WireTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  createdAt: number;
  updatedAt: number;
  version: number;
  /** The engine's last-write-wins stamp; compared as a string. */
  stamp: string;
  /** Breaks stamp ties; '' when the client sent none. */
  device: string;
  deleted: boolean;
  /** The trace write id whose value the task holds (the body's `write`), if the client sent one. */
  write: string | null;
}

export type WriteKind = 'create' | 'update' | 'delete';
export type ApplyResult = 'applied' | 'duplicate' | 'conflict' | 'rejected';

/** One write decision of the server; the world turns it into a `server.apply` trace event. */
export interface ServerApplyEvent {
  op: WriteKind;
  user: string;
  /** The body's `write` field (a trace write id like "phone#3"), if the client sent one. */
  write: string | null;
  /** Server task id; '' when no task exists (a create rejected by the quota). */
  id: string;
  clientId: string;
  result: ApplyResult;
  /** The task's server version after the decision (0 when there is no task). */
  version: number;
  /** The user's change cursor after the decision. */
  cursor: number;
  /** The value the request asked the task to have (fields it left out as the task had them). */
  value: { title: string; completed: boolean; deleted: boolean };
}
