/** JUnit XML, the format CI systems read test results from. */

export interface JUnitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time: number;
  failure?: { message: string; type: string; body: string };
  /** A case that did not run (or had nothing to judge), with why. */
  skipped?: { message: string };
}

export interface JUnitSuite {
  name: string;
  cases: readonly JUnitCase[];
  properties?: Record<string, string>;
}

/** One `<testsuites>` document with one `<testsuite>`; every text and attribute escaped. */
export function junitXml(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure !== undefined).length;
  const skipped = suite.cases.filter((c) => c.failure === undefined && c.skipped !== undefined).length;
  const time = suite.cases.reduce((sum, c) => sum + c.time, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(suite.name)} tests="${suite.cases.length}" failures="${failures}" errors="0" time="${seconds(time)}">`,
    `  <testsuite name=${attr(suite.name)} tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}">`,
  ];
  const properties = Object.entries(suite.properties ?? {});
  if (properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of properties) lines.push(`      <property name=${attr(name)} value=${attr(value)}/>`);
    lines.push('    </properties>');
  }
  for (const c of suite.cases) {
    const open = `    <testcase name=${attr(c.name)} classname=${attr(c.classname)} time="${seconds(c.time)}"`;
    if (c.failure === undefined && c.skipped !== undefined) {
      lines.push(`${open}>`, `      <skipped message=${attr(c.skipped.message)}/>`, '    </testcase>');
      continue;
    }
    if (c.failure === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    lines.push(`      <failure message=${attr(c.failure.message)} type=${attr(c.failure.type)}>${escapeXml(c.failure.body)}</failure>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

// XML 1.0 allows tab, newline, carriage return and the printable ranges; anything else cannot appear even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for element content or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attr(value: string): string {
  // Newlines in attributes are normalised away by parsers; keep them as character references.
  return `"${escapeXml(value).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`;
}

function seconds(s: number): string {
  return s.toFixed(3);
}
