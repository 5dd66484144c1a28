/**
 * Narrowing the task filter's list as the user types: the tasks whose name contains the
 * query, ignoring case, in the list's order. Names are lowered once, so each keystroke is one
 * pass of `includes` over thousands of names.
 */
export class TaskSearch {
  private readonly lowered: string[];

  constructor(readonly tasks: readonly string[]) {
    this.lowered = tasks.map((t) => t.toLowerCase());
  }

  match(query: string): readonly string[] {
    const q = query.trim().toLowerCase();
    if (q === '') return this.tasks;
    const found: string[] = [];
    for (let i = 0; i < this.lowered.length; i++) if (this.lowered[i]!.includes(q)) found.push(this.tasks[i]!);
    return found;
  }
}
