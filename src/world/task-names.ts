/**
 * Scenario task names for the ids engines and the server use. Engines know nothing of
 * scenario names: they report a task by its clientId (or, for an engine that re-keys rows,
 * some other id). The harness names each write before the engine sees it, so the first
 * event that pairs a write with an id teaches the registry that id's name.
 */
export class TaskNames {
  private readonly byWrite = new Map<string, string>();
  private readonly byId = new Map<string, string>();

  /** The harness is about to make `write` on scenario task `task`. */
  nameWrite(write: string, task: string): void {
    this.byWrite.set(write, task);
  }

  /** The scenario name for `id`; learns it through `write` when the id is new. Unknown ids stay as they are. */
  resolve(id: string, write?: string | null): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const name = write ? this.byWrite.get(write) : undefined;
    if (name === undefined) return id;
    this.byId.set(id, name);
    return name;
  }

  /** Records that `id` is another id of the task `otherId` names (a server id and its clientId). */
  alias(id: string, otherId: string, write?: string | null): string {
    const name = this.resolve(otherId, write);
    if (name !== otherId) this.byId.set(id, name);
    return name;
  }

  /** The name a write was made under, if the harness made it. */
  taskOfWrite(write: string): string | undefined {
    return this.byWrite.get(write);
  }
}
