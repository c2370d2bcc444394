/**
 * The registry of error kinds (core/error-kinds.ts) keeps its promise at compile time: a kind added to the registry
 * without words for it — "Was kann ich tun?" help (renderer/src/errors/help.ts) and the "nicht lesbar" reason
 * (core/api/contract/unreadable.ts) — fails `tsc`, and a PostfachError with a kind outside the registry does not
 * compile. The TypeScript compiler runs in process over the real files, with the registry's text changed in memory
 * only; the same program without the change compiles (so the test can fail both ways).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { canonicalKind, ERROR_KINDS, isErrorKind } from '../../core/error-kinds.js';
import { helpFor, GENERIC_HELP } from '../../renderer/src/errors/help.js';
import { unreadableWords } from '../../core/api/contract/unreadable.js';
import { projectRoot } from '../helpers/shared.js';

const REGISTRY = path.join(projectRoot, 'core', 'error-kinds.ts');
const HELP = path.join(projectRoot, 'renderer', 'src', 'errors', 'help.ts');
const UNREADABLE = path.join(projectRoot, 'core', 'api', 'contract', 'unreadable.ts');
const USER = path.join(projectRoot, 'core', 'error-kinds-fixture.ts');

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

/** Type errors of the files in `roots`, with some files' text replaced in memory. */
function typeErrors(roots: readonly string[], replaced: ReadonlyMap<string, string>): ts.Diagnostic[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => replaced.get(path.resolve(file)) ?? readFile(file);
  host.fileExists = (
    (exists) => (file: string) =>
      replaced.has(path.resolve(file)) || exists(file)
  )(host.fileExists.bind(host));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, create) => {
    const text = replaced.get(path.resolve(file));
    return text === undefined ? getSourceFile(file, language, onError, create) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram(roots, options, host);
  return [...program.getSemanticDiagnostics(), ...program.getSyntacticDiagnostics()];
}

const where = (d: ts.Diagnostic): string => `${path.relative(projectRoot, d.file?.fileName ?? '?')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

const withNewKind = (): string => {
  const text = readFileSync(REGISTRY, 'utf8');
  const changed = text.replace(/\] as const;/, "  'kind-without-words',\n] as const;");
  expect(changed).not.toBe(text);
  return changed;
};

describe('the error-kind registry', () => {
  it('the real registry, help texts and unreadable reasons compile', () => {
    expect(typeErrors([HELP, UNREADABLE], new Map()).map(where)).toEqual([]);
  });

  it('a new kind without help text and unreadable words fails tsc, naming both tables', () => {
    const errors = typeErrors([HELP, UNREADABLE], new Map([[REGISTRY, withNewKind()]])).map(where);
    expect(errors.some((e) => e.startsWith('renderer/src/errors/help.ts') && e.includes('kind-without-words'))).toBe(true);
    expect(errors.some((e) => e.startsWith('core/api/contract/unreadable.ts') && e.includes('kind-without-words'))).toBe(true);
  });

  it('a PostfachError with a kind outside the registry fails tsc', () => {
    const user = (kind: string): string => `import { PostfachError } from './errors.js';\nexport const e = new PostfachError('${kind}', { de: 'x', en: 'x' }, 'detail');\n`;
    expect(typeErrors([USER], new Map([[USER, user('network')]])).map(where)).toEqual([]);
    const errors = typeErrors([USER], new Map([[USER, user('netwrok')]])).map(where);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/core\/error-kinds-fixture\.ts: Argument of type '"netwrok"' is not assignable/);
  });

  it('has one name per concept: no kind twice, the older name xml-hostile read as hostile-xml', () => {
    expect(new Set(ERROR_KINDS).size).toBe(ERROR_KINDS.length);
    expect(isErrorKind('xml-hostile')).toBe(false);
    expect(canonicalKind('xml-hostile')).toBe('hostile-xml');
    expect(canonicalKind('no-such-kind')).toBeUndefined();
    // what an earlier version stored keeps its words
    expect(unreadableWords('xml-hostile')).toEqual(unreadableWords('hostile-xml'));
    expect(unreadableWords('xml-hostile').de).toBe('nicht lesbar: unzulässiger XML-Aufbau, aus Sicherheitsgründen nicht gelesen');
    expect(helpFor('xml-hostile')).toEqual(helpFor('hostile-xml'));
    expect(helpFor('hostile-xml')).not.toEqual(GENERIC_HELP);
    expect(helpFor('no-such-kind')).toEqual(GENERIC_HELP);
    expect(unreadableWords('no-such-kind').de).toBe('nicht lesbar: Inhalt kann nicht gelesen werden');
  });
});
