import { describe, expect, it } from 'vitest';
import { escapeXml, junitXml } from '../../src/report/junit.ts';
import { checkXml } from './xml.ts';

describe('junitXml', () => {
  it('is well formed and escapes names, messages and bodies', () => {
    const nasty = `a <b> & "c" 'd' \u0001 ]]> \n next line`;
    const xml = junitXml({
      name: 'suite <1>',
      properties: { engine: 'mutant:x&y' },
      cases: [
        { name: 'seed 1', classname: 'syncsim.fuzz', time: 0.25 },
        { name: `seed 2 ${nasty}`, classname: 'syncsim.fuzz', time: 1, failure: { message: nasty, type: 'lww', body: `${nasty}\nreproduce: npx syncsim run x.yaml` } },
      ],
    });
    const { texts, attributes } = checkXml(xml);
    expect(xml).toContain('tests="2" failures="1"');
    expect(texts.join('\n')).toContain('a <b> & "c" \'d\' \uFFFD ]]>');
    expect(texts.join('\n')).toContain('reproduce: npx syncsim run x.yaml');
    expect(attributes.some((a) => a.message === `a <b> & "c" 'd' \uFFFD ]]> \n next line`)).toBe(true);
    expect(attributes.some((a) => a.value === 'mutant:x&y')).toBe(true);
  });

  it('escapes the five special characters', () => {
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });
});
