import { describe, expect, it } from 'vitest';
import { clockDuration, shortDuration } from '../../src/report/durations.ts';
import { progressReporter } from '../../src/report/progress.ts';
import { colourAllowed, terminalWidth } from '../../src/report/terminal.ts';
import { textTable, wrapText, type TextColumn } from '../../src/report/text-table.ts';

const longest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('textTable', () => {
  const columns: TextColumn[] = [{ head: 'name' }, { head: 'about', wrap: true, min: 10 }, { head: 'n', align: 'right', dropRank: 1 }];
  const rows = [
    ['mutant:write-failure-ignored', 'a failed database write is reported as done and never retried', '7'],
    ['reference', 'ours', '12'],
  ];

  it('lays out at natural width when it fits', () => {
    const { text, hidden } = textTable(columns, rows, 200);
    expect(hidden).toEqual([]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.split('\n')[2]).toMatch(/^reference {21}ours {2,}12$/);
  });

  it('wraps the wrapping column to fit, and never cuts a name', () => {
    const { text } = textTable(columns, rows, 60);
    expect(longest(text)).toBeLessThanOrEqual(60);
    expect(text).toContain('mutant:write-failure-ignored');
    expect(text).toMatch(/\n\nreference/); // a blank line after a row that wraps
  });

  it('hides optional columns before giving up, and stacks rows as a last resort', () => {
    const narrow = textTable(columns, rows, 41);
    expect(narrow.hidden).toEqual(['n']);
    expect(longest(narrow.text)).toBeLessThanOrEqual(41);
    const stacked = textTable(columns, rows, 30);
    expect(stacked.text.split('\n')[0]).toBe('mutant:write-failure-ignored');
    expect(stacked.text).toMatch(/^ {2}about: a failed/m);
    expect(longest(stacked.text)).toBeLessThanOrEqual(30);
  });
});

describe('wrapText', () => {
  it('breaks at spaces, keeps hyphenated words whole, cuts only words wider than the line', () => {
    expect(wrapText('no-resurrection and read-your-writes', 16)).toEqual(['no-resurrection', 'and', 'read-your-writes']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('a b', Infinity)).toEqual(['a b']);
  });
});

describe('terminal', () => {
  it('reads the width from a TTY, else COLUMNS, else 80', () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: '90' })).toBe(132);
    expect(terminalWidth({ isTTY: false, columns: 132 }, { COLUMNS: '90' })).toBe(90);
    expect(terminalWidth({}, { COLUMNS: 'wide' })).toBe(80);
    expect(terminalWidth({}, {})).toBe(80);
  });

  it('allows colour only on a TTY without NO_COLOR', () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ isTTY: false }, {})).toBe(false);
  });
});

describe('durations', () => {
  it('in clock units', () => {
    expect(clockDuration(10_000_000)).toBe('2h 46m 40s');
    expect(clockDuration(92_000)).toBe('1m 32s');
    expect(clockDuration(3_600_000)).toBe('1h');
    expect(clockDuration(450)).toBe('450ms');
    expect(shortDuration(2420)).toBe('2.4s');
    expect(shortDuration(null)).toBe('-');
  });
});

describe('progressReporter', () => {
  const sink = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
  };

  it('rewrites one line on a terminal', () => {
    const { writes, stream } = sink(true);
    const progress = progressReporter(stream, () => 0);
    progress.update('1/2');
    progress.update('2/2');
    progress.end();
    expect(writes).toEqual(['\r1/2\x1b[K', '\r2/2\x1b[K', '\n']);
  });

  it('in a log: a whole line at most once per interval, and the last one at the end', () => {
    const { writes, stream } = sink(false);
    let now = 0;
    const progress = progressReporter(stream, () => now, 5000);
    progress.update('1/4');
    now = 1000;
    progress.update('2/4');
    now = 6000;
    progress.update('3/4');
    now = 7000;
    progress.update('4/4');
    progress.end();
    expect(writes).toEqual(['1/4\n', '3/4\n', '4/4\n']);
    expect(writes.join('')).not.toContain('\r');
  });
});
