import { assert } from '../kernel/index.ts';
import type { NodeId } from './message.ts';

/**
 * Which nodes can talk to which. A partition splits the nodes into groups; a message
 * crosses only within a group. Nodes a partition does not name share one extra group.
 */
export class PartitionTable {
  private groupOf = new Map<NodeId, number>();

  get active(): boolean {
    return this.groupOf.size > 0;
  }

  partition(groups: NodeId[][]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => {
      for (const node of group) {
        assert(!groupOf.has(node), `node ${node} is in two partition groups`);
        groupOf.set(node, index);
      }
    });
    this.groupOf = groupOf;
  }

  heal(): void {
    this.groupOf = new Map();
  }

  connected(a: NodeId, b: NodeId): boolean {
    if (this.groupOf.size === 0 || a === b) return true;
    return (this.groupOf.get(a) ?? -1) === (this.groupOf.get(b) ?? -1);
  }

  /** The groups, as given (for traces and the viewer). */
  groups(): NodeId[][] {
    const groups: NodeId[][] = [];
    for (const [node, index] of this.groupOf) (groups[index] ??= []).push(node);
    return groups;
  }
}
