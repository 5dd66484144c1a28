/** What a row says about its identity (SPEC §3.1 `Row`). */
export interface RowIdentity {
  id: string;
  clientId?: string | null;
  serverId?: string | null;
  write?: string | null;
}

/**
 * Scenario task names for the ids engines and the server use (SPEC §3.1). Engines know
 * nothing of scenario names, so the harness learns ids from what it sees: the id `create`
 * returned on the device that made the task, that id as the `clientId` other devices and
 * the server know it by, and the server's id for it. A write label an engine echoes back
 * (`write` on a row or an event) is a hint used only when the ids say nothing. An id the
 * harness cannot name stays as it is (an engine that re-keys rows shows up as duplicates).
 */
export class TaskNames {
  private readonly byWrite = new Map<string, string>();
  /** The ids `create` returned, per device (two devices may number tasks alike). */
  private readonly byCreated = new Map<string, Map<string, string>>();
  /** Client ids and server ids. */
  private readonly byId = new Map<string, string>();

  /** The harness is about to make `write` on scenario task `task`. */
  nameWrite(write: string, task: string): void {
    this.byWrite.set(write, task);
  }

  /** `create` on `device` returned `id` for scenario task `task`. */
  nameCreated(device: string, id: string, task: string): void {
    let own = this.byCreated.get(device);
    if (own === undefined) this.byCreated.set(device, (own = new Map()));
    own.set(id, task);
    if (!this.byId.has(id)) this.byId.set(id, task);
  }

  /** The name of a row on `device`, by its own id, its clientId, its server id, then its write label. */
  rowTask(device: string, row: RowIdentity): string {
    const own = this.byCreated.get(device)?.get(row.id);
    if (own !== undefined) return own;
    const known = this.known(row.clientId) ?? this.known(row.serverId) ?? this.known(row.id);
    if (known !== undefined) return known;
    const hinted = typeof row.write === 'string' ? this.byWrite.get(row.write) : undefined;
    if (hinted !== undefined) {
      this.byId.set(row.clientId ?? row.id, hinted);
      return hinted;
    }
    return row.clientId ?? row.serverId ?? row.id;
  }

  private known(id: string | null | undefined): string | undefined {
    return typeof id === 'string' ? this.byId.get(id) : undefined;
  }

  /** The scenario name for an engine's id for a task; learns it through `write` when the id is new. Unknown ids stay as they are. */
  resolve(id: string, write?: string | null): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const name = write ? this.byWrite.get(write) : undefined;
    if (name === undefined) return id;
    this.byId.set(id, name);
    return name;
  }

  /** A server task: its `serverId` is another id of the task its `clientId` names. */
  nameServerTask(serverId: string, clientId: string, write?: string | null): string {
    const name = this.resolve(clientId, write);
    if (name !== clientId && serverId !== '') this.byId.set(serverId, name);
    return name;
  }

  /** The name a write was made under, if the harness made it. */
  taskOfWrite(write: string): string | undefined {
    return this.byWrite.get(write);
  }
}
