/**
 * What each part of a delivery is (DESIGN.md "Signature coverage") in the contract: the codes of role and coverage
 * status (core/domain/coverage.ts) and their German and English words from the one words module per language
 * (core/domain/words), for the UI, the CLI, the PDF and the receipt. No Node and no DOM here (the renderer imports
 * this file).
 */
import type { CoverageStatus, PartRole } from '../../domain/coverage.js';
import { both, coverageSentence } from '../../domain/words/index.js';

export { COVERAGE_STATUSES, coverageTone, EXPORT_PREFIX, EXTRA_PARTS_FOLDER, PART_ROLES, type CoverageStatus, type PartRole } from '../../domain/coverage.js';

export interface CoverageWords {
  readonly de: string;
  readonly en: string;
}

/** The status in words; a signed extra part is signed by another signature than the application's (or there is none). */
export function coverageWords(status: CoverageStatus, role: PartRole | null): CoverageWords {
  return both((w) => coverageSentence(w, status, role));
}

export function roleWords(role: PartRole | null): CoverageWords {
  return both((w) => (role === null ? w.partRoleUnknown : w.partRole[role]));
}
