/**
 * Borderless tables that fit a terminal width: columns two spaces apart, text that may
 * wrap wraps, names people copy never do. When even that does not fit, optional columns
 * go (the caller says which were hidden), and as a last resort each row becomes a block
 * of `head: value` lines.
 */
export interface TextColumn {
  head: string;
  /** May this column's cells wrap onto more lines? Names people copy (engines, checkers) never do. */
  wrap?: boolean;
  /** The narrowest a wrapping column may become (default 10; never below its head). */
  min?: number;
  align?: 'left' | 'right';
  /** Columns with a rank are left out, lowest rank first, when the table cannot fit otherwise. */
  dropRank?: number;
}

export interface TextTable {
  text: string;
  /** Heads of the columns left out to fit the width. */
  hidden: string[];
}

const GAP = 2;
const DEFAULT_MIN = 10;

export function textTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width: number): TextTable {
  let visible = columns.map((_, i) => i);
  // Each pass hides one column, so at most columns.length + 1 passes.
  for (let pass = 0; pass <= columns.length; pass++) {
    const widths = fit(visible.map((i) => columns[i]!), rows.map((row) => visible.map((i) => row[i] ?? '')), width);
    if (widths !== null) {
      const hidden = columns.filter((_, i) => !visible.includes(i)).map((c) => c.head);
      return { text: render(visible.map((i) => columns[i]!), rows.map((row) => visible.map((i) => row[i] ?? '')), widths), hidden };
    }
    const droppable = visible.filter((i) => columns[i]!.dropRank !== undefined);
    if (droppable.length === 0) break;
    const first = droppable.reduce((a, b) => (columns[b]!.dropRank! < columns[a]!.dropRank! ? b : a));
    visible = visible.filter((i) => i !== first);
  }
  return { text: stacked(columns, rows, width), hidden: [] };
}

/** Column widths that fit, shrinking the widest wrapping column one character at a time; null if none do. */
function fit(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width: number): number[] | null {
  const widths = columns.map((c, i) => Math.max(c.head.length, ...rows.map((row) => longestLine(row[i]!))));
  const floors = columns.map((c, i) => (c.wrap === true ? Math.min(widths[i]!, Math.max(c.min ?? DEFAULT_MIN, c.head.length)) : widths[i]!));
  let total = widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, columns.length - 1);
  while (total > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return null;
    const step = Math.min(total - width, widths[widest]! - floors[widest]!, 1 + Math.floor((widths[widest]! - floors[widest]!) / 4));
    widths[widest]! -= step;
    total -= step;
  }
  return widths;
}

function render(columns: readonly TextColumn[], rows: readonly (readonly string[])[], widths: readonly number[]): string {
  const cellLines = (cells: readonly string[]) => cells.map((cell, i) => (columns[i]!.wrap === true ? wrapText(cell, widths[i]!) : cell.split('\n')));
  const block = (cells: readonly string[]) => {
    const wrapped = cellLines(cells);
    const height = Math.max(1, ...wrapped.map((lines) => lines.length));
    const lines: string[] = [];
    for (let line = 0; line < height; line++) {
      const parts = wrapped.map((cellText, i) => pad(cellText[line] ?? '', widths[i]!, columns[i]!.align ?? 'left'));
      lines.push(parts.join(' '.repeat(GAP)).trimEnd());
    }
    return lines;
  };
  const out = block(columns.map((c) => c.head));
  let previousWrapped = false;
  for (const lines of rows.map(block)) {
    // A row that wraps would run into its neighbours without a blank line around it.
    const wrapped = lines.length > 1;
    if (wrapped || previousWrapped) out.push('');
    out.push(...lines);
    previousWrapped = wrapped;
  }
  return out.join('\n');
}

/** Each row as a block: the first cell alone (never cut), then `head: value` lines wrapped to the width. */
function stacked(columns: readonly TextColumn[], rows: readonly (readonly string[])[], width: number): string {
  return rows
    .map((row) => {
      const lines = [row[0] ?? ''];
      for (let i = 1; i < columns.length; i++) {
        const label = `  ${columns[i]!.head}: `;
        const value = row[i] ?? '';
        if (value === '') continue;
        const wrapped = wrapText(value, Math.max(DEFAULT_MIN, width - label.length));
        wrapped.forEach((line, n) => lines.push(`${n === 0 ? label : ' '.repeat(label.length)}${line}`.trimEnd()));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Greedy word wrap at spaces (so a hyphenated name stays whole); a word longer than the width is cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const piece of paragraph.split(/(?= )/)) {
      if ((line + piece).length <= width) {
        line += piece;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = piece.trimStart();
      while (line.length > width) {
        lines.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => line.length));
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = ' '.repeat(Math.max(0, width - text.length));
  return align === 'right' ? room + text : text + room;
}
