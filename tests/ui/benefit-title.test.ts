/**
 * The reading pane's title (renderer/src/message/benefit-title.ts): the code list's short word where there is one,
 * else the product's name shortened at a bracket, dash or comma, or at a word with "…"; the full name is offered
 * only where it says more than the title. Pure logic: no browser needed.
 */
import { describe, expect, it } from 'vitest';
import { benefitTitle, shortName } from '../../renderer/src/message/benefit-title.js';

const LONG = 'Antrag auf Leistungen zur Sicherung des Lebensunterhalts nach dem Zweiten Buch Sozialgesetzbuch – Bürgergeld, Grundsicherung für Arbeitsuchende (Hauptantrag)';

describe('the title of an application', () => {
  it('is the code list word, with the long product name one click away', () => {
    expect(benefitTitle('Bürgergeld', LONG, '–')).toEqual({ title: 'Bürgergeld', fullName: LONG });
  });

  it('is a short product name as it is, with nothing more to offer', () => {
    expect(benefitTitle(undefined, 'Hilfe zum Lebensunterhalt (SGB XII)', '–')).toEqual({ title: 'Hilfe zum Lebensunterhalt (SGB XII)', fullName: undefined });
  });

  it('shortens a long product name at a word, never in the middle of one', () => {
    const { title, fullName } = benefitTitle(undefined, LONG, '–');
    expect(fullName).toBe(LONG);
    expect(title.length).toBeLessThanOrEqual(62);
    expect(title.endsWith(' …')).toBe(true);
    expect(LONG.startsWith(title.slice(0, -2))).toBe(true);
    expect(LONG[title.length - 2]).toBe(' ');
  });

  it('cuts at the first bracket or dash when the part before it is a name of its own', () => {
    expect(shortName('Leistungen für Bildung und Teilhabe (BuT) für Schülerinnen und Schüler nach § 28 SGB II, § 34 SGB XII und § 6b BKGG')).toBe(
      'Leistungen für Bildung und Teilhabe',
    );
  });

  it('falls back to the given words where the message names no benefit', () => {
    expect(benefitTitle(undefined, undefined, 'Ohne Titel')).toEqual({ title: 'Ohne Titel', fullName: undefined });
  });
});
