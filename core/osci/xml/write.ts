/** Small helpers for writing XML text the way the library does (no whitespace, empty elements as pairs). */

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/** `<name a="v" ...>content</name>`; attributes are written in the given order. */
export function el(name: string, attrs: ReadonlyArray<readonly [string, string | undefined]> = [], content = ''): string {
  const a = attrs
    .filter((x): x is readonly [string, string] => x[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  return `<${name}${a}>${content}</${name}>`;
}
