/**
 * Which tasks a message concerns. A msg.send names no task, so the viewer reads the events
 * around it (the rule, for the task filter):
 * - a request concerns the tasks the server applied a write of while handling it: the
 *   server.apply events between the request's delivery to the server and the reply to it;
 * - a reply concerns the tasks its device applied on receiving it: the device.apply events
 *   (from a pull or a reply) that follow its delivery before that device does anything else;
 * - a request, its replies and the network's copies of either are one exchange: they concern
 *   the same tasks;
 * - a write request (not GET or HEAD) of which the server applied nothing — dropped, refused,
 *   never answered — concerns the tasks of the writes its device had waiting for the server
 *   when it was sent (from their op to their first server.apply). task-selection.ts applies
 *   this last part, for the picked task only.
 * A request the trace shows nothing of beyond its send (a read that was dropped) concerns no task.
 */

/** A request with its replies and copies; `tasks` is filled in as the trace shows them. */
export interface Exchange {
  tasks: Set<string> | undefined;
}

function addTask(exchange: Exchange | undefined, task: string): void {
  if (!exchange) return;
  (exchange.tasks ??= new Set()).add(task);
}

/** Follows the trace in order: who is handling or receiving which exchange. */
export class ExchangeTracker {
  /** The request the server is handling: delivered to it and not yet answered. */
  private handling: Exchange | undefined;
  /** By lane: the reply a device has just received, until it does something other than apply rows. */
  private readonly receiving: Array<Exchange | undefined>;

  constructor(laneCount: number) {
    this.receiving = new Array<Exchange | undefined>(laneCount);
  }

  /** Any event on a device lane that is not a row applied ends that device's receiving. */
  onLaneEvent(lane: number, isDeviceApply: boolean): void {
    if (!isDeviceApply) this.receiving[lane] = undefined;
  }

  delivered(exchange: Exchange, toServer: boolean, isReply: boolean, lane: number): void {
    if (toServer && !isReply) this.handling = exchange;
    else if (!toServer && isReply && lane >= 0) this.receiving[lane] = exchange;
  }

  replied(exchange: Exchange): void {
    if (this.handling === exchange) this.handling = undefined;
  }

  serverApplied(task: string): void {
    addTask(this.handling, task);
  }

  deviceApplied(lane: number, task: string, source: unknown): void {
    if (source !== 'local' && lane >= 0) addTask(this.receiving[lane], task);
  }
}
