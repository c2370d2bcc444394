/**
 * Remembers the regular expressions @xmldom/xmldom 0.9 builds while it parses. Its SAX reader calls
 * `grammar.reg('^', QName_group, S_OPT, '$')` for every end tag and `grammar.reg('^', …)` in `getMatch`: each call
 * joins the sources of large Unicode character classes and compiles a new RegExp (in the warm decode of
 * exchange/06 about 0.5 ms per message, the largest single cost after RSA). The expressions depend only on their
 * parts, and the reader uses them with `exec` on fresh strings and no `g`/`y` flag (lastIndex stays 0), so one
 * RegExp per distinct source serves every call. Parsing is unchanged: same expressions, same flags, same errors.
 */
import { createRequire } from 'node:module';

interface Grammar {
  reg: (...parts: (RegExp | string)[]) => RegExp;
}

const MAX_CACHED = 256;
let installed = false;
let nextId = 0;

/** Installs the memo once per process (idempotent); parse.ts calls it before its first parse. */
export function rememberXmldomExpressions(): void {
  if (installed) return;
  installed = true;
  let grammar: Grammar;
  try {
    grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as Grammar;
  } catch {
    return; // xmldom bundled into the caller (Electron's main bundle): it parses as it comes, only slower
  }
  const original = grammar.reg;
  if (typeof original !== 'function') return; // another xmldom layout: parse as it comes
  const cache = new Map<string, RegExp>();
  // the parts are the grammar's own RegExp constants and short strings: a RegExp is named by its identity (a
  // number), so the key stays short instead of repeating the sources of large Unicode classes on every call
  const ids = new WeakMap<RegExp, number>();
  grammar.reg = function memoReg(this: unknown, ...parts: (RegExp | string)[]): RegExp {
    let key = '';
    for (const part of parts) {
      if (typeof part === 'string') key += `s${part.length}:${part}`;
      else {
        let id = ids.get(part);
        if (id === undefined) ids.set(part, (id = nextId++));
        key += `r${id};`;
      }
    }
    const known = cache.get(key);
    if (known !== undefined) return known;
    const made = original.apply(this, parts);
    if (made.global || made.sticky) return made; // stateful expressions are never shared
    if (cache.size < MAX_CACHED) cache.set(key, made);
    return made;
  };
}
