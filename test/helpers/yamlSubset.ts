// The block-style YAML subset the deploy manifests are written in (`key: value`, nested maps, `- `
// lists, one-line flow lists), read line by line because no YAML library is a dependency; anything
// outside the subset throws rather than being misread.

export interface Line {
  indent: number;
  text: string;
}
export interface Node {
  value: string;
  body: Line[];
}

export function toLines(yaml: string): Line[] {
  const lines: Line[] = [];
  for (const raw of yaml.split('\n')) {
    const text = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (text.trim() === '') continue;
    let indent = text.length - text.trimStart().length;
    let rest = text.trimStart();
    // `- key: v` opens a list item holding a map: a marker, then the map's keys at one indent.
    while (rest.startsWith('- ')) {
      lines.push({ indent, text: '-' });
      indent += 2;
      rest = rest.slice(2);
    }
    lines.push({ indent, text: rest });
  }
  return lines;
}

/** A map block's own keys (its shallowest lines), each with its value and the lines nested under it. */
export function keys(block: Line[]): Map<string, Node> {
  const top = Math.min(...block.map((l) => l.indent));
  const map = new Map<string, Node>();
  let current: Node | undefined;
  for (const line of block) {
    if (line.indent > top) {
      current?.body.push(line);
      continue;
    }
    const match = /^([^\s:'"-][^:]*):(?:\s+(.*))?$/.exec(line.text);
    if (!match) throw new Error(`not a "key: value" line: ${line.text}`);
    current = { value: unquote(match[2] ?? ''), body: [] };
    map.set(match[1] as string, current);
  }
  return map;
}

/** A list block's items, each as its lines. */
export function items(list: Line[]): Line[][] {
  const top = Math.min(...list.map((l) => l.indent));
  const out: Line[][] = [];
  for (const line of list) {
    if (line.indent > top) out.at(-1)?.push(line);
    else if (line.text === '-') out.push([]);
    else throw new Error(`not a list item: ${line.text}`);
  }
  return out;
}

export const at = (block: Line[], ...path: string[]): Node | undefined =>
  path.reduce<Node | undefined>((node, key) => node && keys(node.body).get(key), { value: '', body: block });
export const body = (block: Line[], ...path: string[]) => at(block, ...path)?.body ?? [];
export const value = (block: Line[], ...path: string[]) => at(block, ...path)?.value;
const unquote = (text: string) => /^(['"])(.*)\1$/.exec(text)?.[2] ?? text;
export const flowList = (text = '[]') =>
  (/^\[(.*)\]$/.exec(text)?.[1] ?? '')
    .split(',')
    .map((s) => unquote(s.trim()))
    .filter(Boolean);
