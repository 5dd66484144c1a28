import type { NodeWorld } from './node-world.ts';

/**
 * A fence guards everything one incarnation of a node schedules (timers, storage callbacks,
 * message deliveries). When the incarnation dies (crash, OS kill) the fence closes and the
 * kernel silently discards its events; while the app is suspended the fence is frozen and
 * the kernel holds its events until it thaws.
 */
export class Fence {
  alive = true;
  frozen = false;
  /** Work that came due while frozen, in the order it came due. */
  readonly held: Array<{ callback: () => void; async: boolean; daemon: boolean }> = [];
  /** What third-party code running as this incarnation reads through the globals; null: the run's. */
  world: NodeWorld | null = null;

  constructor(
    /** Who this fence belongs to, e.g. "phone#2" (device phone, second incarnation). */
    readonly name: string,
  ) {}

  close(): void {
    this.alive = false;
    this.held.length = 0;
  }
}
