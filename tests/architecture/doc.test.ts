/**
 * docs/ARCHITECTURE.md's section "Parts and arrows" is what build/architecture/layers.ts declares now (written by
 * `npm run architecture:doc`); the declaration names files that exist and its arrows point one way.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, partsSection, withSection } from '../../build/architecture/doc.js';
import { ANY_PART, EXCEPTIONS, PARTS, type PartName } from '../../build/architecture/layers.js';
import { projectRoot } from '../helpers/shared.js';

const doc = readFileSync(path.join(projectRoot, 'docs', 'ARCHITECTURE.md'), 'utf8');

describe('docs/ARCHITECTURE.md "Parts and arrows"', () => {
  it('is current (run npm run architecture:doc after changing build/architecture/layers.ts)', () => {
    const section = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length);
    expect(section).toBe(partsSection());
  });

  it('would change when the declaration changes: the section lists every part and every excused file', () => {
    const section = partsSection();
    for (const name of Object.keys(PARTS)) expect(section).toContain(`| **${name}** |`);
    for (const file of EXCEPTIONS.flatMap((e) => e.from)) expect(section).toContain(`\`${file}\``);
  });

  it('the writer replaces only the text between the markers, and refuses a document without them', () => {
    expect(withSection(`before\n${BEGIN}\nold\n${END}\nafter`, 'NEW')).toBe('before\nNEW\nafter');
    expect(() => withSection('no markers', 'NEW')).toThrow(/markers/);
  });
});

describe('build/architecture/layers.ts names what exists', () => {
  it('every path of every part exists', () => {
    const missing = Object.values(PARTS)
      .flatMap((part) => part.paths)
      .filter((p) => !existsSync(path.join(projectRoot, p)));
    expect(missing).toEqual([]);
  });

  it('the arrows point one way: no part reaches itself through other parts (tests, bench and tooling aside)', () => {
    const arrows = (name: PartName): readonly PartName[] => {
      const part = PARTS[name];
      return part.imports === ANY_PART ? [] : [...part.imports, ...(part.typesFrom ?? [])];
    };
    const cycles: string[] = [];
    const walk = (name: PartName, trail: readonly PartName[]): void => {
      if (trail.includes(name)) {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' → '));
        return;
      }
      for (const next of arrows(name)) walk(next, [...trail, name]);
    };
    for (const name of Object.keys(PARTS) as PartName[]) walk(name, []);
    expect(cycles).toEqual([]);
  });

  it('every excused file exists (an exception for a deleted file goes with it)', () => {
    expect(EXCEPTIONS.flatMap((e) => e.from).filter((f) => !existsSync(path.join(projectRoot, f)))).toEqual([]);
  });
});
