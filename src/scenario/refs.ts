import type { LNode } from './located.ts';
import type { Reader } from './read.ts';

export const SERVER = 'server';

/** Checks the names a step gives to devices and network nodes against the file's devices. */
export class NodeRefs {
  /** `devices` is null when the file's device list is unusable; then any name passes. */
  constructor(
    private readonly read: Reader,
    private readonly devices: ReadonlySet<string> | null,
  ) {}

  /** A declared device id. */
  device(node: LNode, what: string): string | undefined {
    const id = this.read.string(node, what);
    if (id === undefined) return undefined;
    const { devices } = this;
    if (devices && !devices.has(id)) {
      this.read.issues.add(node.pos, `unknown device '${id}' in ${what}; the devices are ${[...devices].join(', ')}`);
      return undefined;
    }
    return id;
  }

  /** A declared device id or `server`. */
  node(node: LNode, what: string): string | undefined {
    if (node.type === 'scalar' && node.value === SERVER) return SERVER;
    const { devices } = this;
    const id = this.read.string(node, what);
    if (id !== undefined && devices && !devices.has(id)) {
      this.read.issues.add(node.pos, `unknown node '${id}' in ${what}; expected server or a device (${[...devices].join(', ')})`);
      return undefined;
    }
    return id;
  }
}
