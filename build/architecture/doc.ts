/**
 * The section "Parts and arrows" of docs/ARCHITECTURE.md, made from build/architecture/layers.ts: one table of the
 * parts, one of the exceptions. Written between two markers by write-doc.ts (`npm run architecture:doc`);
 * tests/architecture/doc.test.ts checks that the committed document holds what this module makes now.
 */
import { ANY_PACKAGE, ANY_PART, EXCEPTIONS, NODE_BUILTINS, PARTS, type Part, type PartName } from './layers.js';

export const BEGIN = '<!-- parts-and-arrows:begin (written by `npm run architecture:doc` from build/architecture/layers.ts; do not edit) -->';
export const END = '<!-- parts-and-arrows:end -->';

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|');

function packagesWords(part: Part): string {
  if (part.packages.length === 0) return 'none';
  return part.packages.map((p) => (p === NODE_BUILTINS ? 'Node built-ins' : p === ANY_PACKAGE ? 'npm packages' : code(p))).join(', ');
}

function importsWords(part: Part): string {
  if (part.imports === ANY_PART) return 'any part';
  return part.imports.length === 0 ? '—' : part.imports.join(', ');
}

/** The generated section, markers included. */
export function partsSection(): string {
  const rows = (Object.entries(PARTS) as [PartName, Part][]).map(
    ([name, part]) =>
      `| **${name}** | ${part.paths.map(code).join(', ')} | ${cell(part.runsIn)} | ${cell(part.purpose)} | ${importsWords(part)} | ${
        part.typesFrom?.join(', ') ?? '—'
      } | ${packagesWords(part)} |`,
  );
  const exceptions = EXCEPTIONS.map(
    (e) => `| ${e.from.map(code).join(', ')} | ${e.to.join(', ')}${e.typesOnly ? ' (types only)' : ''} | ${cell(e.reason)} | ${cell(e.removedBy)} |`,
  );
  const pairs = EXCEPTIONS.reduce((n, e) => n + e.from.length * e.to.length, 0);
  return [
    BEGIN,
    '',
    '| Part | Files | Runs in | What it is | May import | Types only from | Packages |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(pairs === 0
      ? ['Exceptions: none — every import follows the table.']
      : [
          `Exceptions (${pairs} pairs of file and part): imports the structure does not want, each removed by a planned change.`,
          'The rule reports a pair no import needs any more.',
          '',
          '| Files | May also import | Why | Removed by |',
          '|---|---|---|---|',
          ...exceptions,
        ]),
    '',
    END,
  ].join('\n');
}

/** `doc` with the text between the markers replaced by `section`; throws when the markers are missing. */
export function withSection(doc: string, section: string): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/ARCHITECTURE.md lacks the markers ${BEGIN} … ${END}`);
  return doc.slice(0, begin) + section + doc.slice(end + END.length);
}
