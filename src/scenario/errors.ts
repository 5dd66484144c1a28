/** One problem in a scenario file, at the node that causes it (1-based line and column). */
export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** How many issues a ScenarioError's message lists (`issues` has them all). */
const MAX_LISTED = 100;

/** A scenario file that cannot run; `message` has one `file:line:col: message` line per issue. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(readonly issues: readonly ScenarioIssue[]) {
    // A hostile file can have a problem per line: the message lists the first ones.
    const shown = issues.slice(0, MAX_LISTED).map(formatIssue);
    if (issues.length > MAX_LISTED) shown.push(`${issues[0]!.file}: and ${issues.length - MAX_LISTED} more problems`);
    super(shown.join('\n'));
  }
}

export function formatIssue(issue: ScenarioIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/** A place in the file. */
export interface Pos {
  line: number;
  column: number;
}

/** Collects issues while validation goes on, so that one run reports them all. */
export class Issues {
  private readonly list: Array<Pos & { message: string }> = [];

  add(pos: Pos, message: string): void {
    this.list.push({ line: pos.line, column: pos.column, message });
  }

  get count(): number {
    return this.list.length;
  }

  /** In file order; issues at one place keep the order they were found in. */
  forFile(file: string): ScenarioIssue[] {
    return this.list
      .map((issue, index) => ({ issue, index }))
      .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index)
      .map(({ issue }) => ({ file, ...issue }));
  }
}
