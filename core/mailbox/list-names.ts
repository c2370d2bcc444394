/**
 * The applicant names a delivery's list row keeps: at most 50, each part cut to the list's bound without breaking a
 * character. The store refuses longer parts (core/store/applicant-names.ts), so a hostile application with a
 * 200,000-character family name is still stored and listed; the message itself keeps every value in full.
 */
import type { PersonName } from '../xsozial/person-names.js';
import { clipText } from '../text-bounds.js';

const MAX_NAMES = 50;
const PART_BOUND = 200;

export function listNames(names: readonly PersonName[]): PersonName[] {
  return names.slice(0, MAX_NAMES).map((n) => ({
    family: clipText(n.family, PART_BOUND),
    given: clipText(n.given, PART_BOUND),
    ...(n.title === undefined ? {} : { title: clipText(n.title, PART_BOUND) }),
  }));
}
