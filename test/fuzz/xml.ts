/**
 * A small XML well-formedness check for tests (no XML parser is installed): balanced
 * elements, quoted attributes, only the five entities and character references, no stray
 * `<` or `&`. Returns the decoded text of every element and attribute for inspection.
 */
export function checkXml(xml: string): { texts: string[]; attributes: Record<string, string>[] } {
  const texts: string[] = [];
  const attributes: Record<string, string>[] = [];
  const stack: string[] = [];
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const decode = (raw: string) => {
    if (/[<]/.test(raw)) throw new Error(`raw < in ${JSON.stringify(raw)}`);
    return raw.replace(/&(#\d+|#x[0-9a-f]+|\w+);?/gi, (m, name: string) => {
      if (!m.endsWith(';')) throw new Error(`bare & in ${JSON.stringify(raw)}`);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      if (named[name] === undefined) throw new Error(`unknown entity ${m}`);
      return named[name]!;
    });
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.trim() !== '') {
      if (stack.length === 0) throw new Error(`text outside the root: ${JSON.stringify(text)}`);
      texts.push(decode(text));
    }
    if (lt === -1) break;
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      if (stack.length === 0 && xml.slice(i).trim() !== '') throw new Error('content after the root element');
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$/.exec(body);
    if (m === null) throw new Error(`malformed tag <${tag}>`);
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (attrs[a[1]!] !== undefined) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = decode(a[2]!);
    }
    attributes.push(attrs);
    if (!selfClosing) stack.push(m[1]!);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return { texts, attributes };
}
