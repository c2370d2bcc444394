/**
 * How the program writes a person's name (core/xsozial/person-names.ts has its parts as a zod schema and re-exports
 * this), without zod: the renderer writes the list rows with it. Universal (no Node, no DOM).
 */
import type { PersonName } from './person-names.js';

/** "Musterfrau, Erika" (familyFirst) or "Erika Musterfrau"; with a title "Musterfrau, Erika, Dr." / "Dr. Erika Musterfrau". */
export function formatPersonName(name: PersonName, familyFirst: boolean): string {
  const family = name.family.trim();
  const given = name.given.trim();
  const title = name.title?.trim() ?? '';
  if (familyFirst) {
    if (family === '') return [title, given].filter((p) => p !== '').join(' ');
    return [family, given, title].filter((p) => p !== '').join(', ');
  }
  return [title, given, family].filter((p) => p !== '').join(' ');
}
