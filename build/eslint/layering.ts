/**
 * The ESLint rule `local/layering`: every import of a linted file must follow build/architecture/layers.ts — the
 * importing file's part may import the target's part (or its types only), may use the package, or an exception
 * lists the import. A violation names the rule, the importing part and what that part may import. Imports are
 * `import`/`export … from`, `import()`, `import('…')` in types, `require()` and `import x = require()`.
 */
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { ANY_PACKAGE, ANY_PART, EXCEPTIONS, NODE_BUILTINS, PARTS, type LayerException, type PartName } from '../architecture/layers.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const DECLARATION = 'build/architecture/layers.ts';

const byLength = Object.entries(PARTS)
  .flatMap(([name, part]) => part.paths.map((p) => ({ name: name as PartName, path: p })))
  .sort((a, b) => b.path.length - a.path.length);

/** The part a project-relative path (with `/`) belongs to: the longest matching folder or file. */
export function partOf(relative: string): PartName | undefined {
  return byLength.find((entry) => (entry.path.endsWith('/') ? relative.startsWith(entry.path) : relative === entry.path))?.name;
}

const toRelative = (absolute: string): string => path.relative(projectRoot, absolute).split(path.sep).join('/');

/** The source file a relative specifier names (`./x.js` is `./x.ts` in the source tree). */
function resolveTarget(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c)) ?? base.replace(/\.js$/, '.ts');
}

const builtins = new Set(builtinModules);
const packageName = (specifier: string): string => {
  const bare = specifier.replace(/\?.*$/, '');
  const segments = bare.split('/');
  return bare.startsWith('@') ? segments.slice(0, 2).join('/') : (segments[0] ?? bare);
};
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtins.has(packageName(specifier));

function packageAllowed(allowed: readonly string[], specifier: string): boolean {
  if (isBuiltin(specifier)) return allowed.includes(NODE_BUILTINS);
  const name = packageName(specifier);
  return allowed.includes(name) || (name !== 'electron' && allowed.includes(ANY_PACKAGE));
}

const list = (names: readonly string[]): string => (names.length === 0 ? 'nothing' : names.join(', '));

/** What a part may import, in words, for the message. */
function allowedWords(name: PartName): string {
  const part = PARTS[name];
  if (part.imports === ANY_PART) return 'any part';
  const types = part.typesFrom?.length ? `; types only from ${list(part.typesFrom)}` : '';
  return `${list(part.imports)}${types}`;
}

type MessageId = 'forbidden' | 'typesOnly' | 'package' | 'unplaced' | 'unplacedTarget' | 'staleException';

/** The exceptions are the declaration's; a test may lint with a list of its own (the declaration's is empty). */
type Options = [{ readonly exceptions?: readonly LayerException[] }];

export const layeringRule: TSESLint.RuleModule<MessageId, Options> = {
  meta: {
    type: 'problem',
    docs: { description: `imports follow the parts and arrows declared in ${DECLARATION}` },
    schema: [{ type: 'object', properties: { exceptions: { type: 'array' } }, additionalProperties: false }],
    messages: {
      forbidden: `local/layering: part '{{from}}' may not import part '{{to}}' ({{target}}). '{{from}}' may import: {{allowed}} (${DECLARATION}).`,
      typesOnly: `local/layering: part '{{from}}' may import only types from part '{{to}}' ({{target}}): use 'import type'. '{{from}}' may import: {{allowed}} (${DECLARATION}).`,
      package: `local/layering: part '{{from}}' ({{runsIn}}) may not use '{{specifier}}'. '{{from}}' may use: {{packages}} (${DECLARATION}).`,
      unplaced: `local/layering: {{file}} belongs to no part; place it in ${DECLARATION}.`,
      unplacedTarget: `local/layering: '{{specifier}}' ({{target}}) belongs to no part; place it in ${DECLARATION}.`,
      staleException: `local/layering: the exception {{file}} → '{{to}}' is no longer needed; remove it from ${DECLARATION}.`,
    },
  },
  defaultOptions: [{}],
  create(context) {
    const file = context.filename;
    const relative = toRelative(file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return {};
    const from = partOf(relative);
    if (from === undefined) {
      return {
        Program(node) {
          context.report({ node, messageId: 'unplaced', data: { file: relative } });
        },
      };
    }
    const part = PARTS[from];
    // the exceptions for this file, one per part
    const exceptions = (context.options[0]?.exceptions ?? EXCEPTIONS)
      .filter((e) => e.from.includes(relative))
      .flatMap((e) => e.to.map((to) => ({ to, typesOnly: e.typesOnly === true })));
    const used = new Set<(typeof exceptions)[number]>();

    const check = (node: TSESTree.Node, specifier: string, typeOnly: boolean): void => {
      if (!specifier.startsWith('.')) {
        if (!packageAllowed(part.packages, specifier)) {
          context.report({ node, messageId: 'package', data: { from, runsIn: part.runsIn, specifier, packages: list(part.packages) } });
        }
        return;
      }
      if (part.imports === ANY_PART) return;
      const target = toRelative(resolveTarget(file, specifier));
      const to = partOf(target);
      if (to === undefined) {
        context.report({ node, messageId: 'unplacedTarget', data: { specifier, target } });
        return;
      }
      if (to === from || part.imports.includes(to)) return;
      if (typeOnly && part.typesFrom?.includes(to)) return;
      const exception = exceptions.find((e) => e.to === to && (typeOnly || !e.typesOnly));
      if (exception) {
        used.add(exception);
        return;
      }
      const typesWouldDo = part.typesFrom?.includes(to) || exceptions.some((e) => e.to === to);
      context.report({ node, messageId: typesWouldDo ? 'typesOnly' : 'forbidden', data: { from, to, target, allowed: allowedWords(from) } });
    };

    const literal = (node: TSESTree.Node | null | undefined): string | undefined =>
      node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' ? node.value : undefined;

    return {
      ImportDeclaration(node) {
        const typeOnly =
          node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.type === AST_NODE_TYPES.ImportSpecifier && s.importKind === 'type'));
        check(node, node.source.value, typeOnly);
      },
      ExportNamedDeclaration(node) {
        if (node.source === null) return;
        const typeOnly = node.exportKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'));
        check(node, node.source.value, typeOnly);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        const specifier = literal(node.source);
        if (specifier !== undefined) check(node, specifier, false);
      },
      TSImportType(node) {
        const argument = node.argument;
        const specifier = argument.type === AST_NODE_TYPES.TSLiteralType ? literal(argument.literal) : undefined;
        if (specifier !== undefined) check(node, specifier, true);
      },
      TSExternalModuleReference(node) {
        const specifier = literal(node.expression);
        if (specifier !== undefined) check(node, specifier, false);
      },
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.Identifier || node.callee.name !== 'require' || node.arguments.length !== 1) return;
        const specifier = literal(node.arguments[0]);
        if (specifier !== undefined) check(node, specifier, false);
      },
      'Program:exit'(node: TSESTree.Program) {
        for (const exception of exceptions) {
          if (!used.has(exception)) context.report({ node, messageId: 'staleException', data: { file: relative, to: exception.to } });
        }
      },
    };
  },
};
