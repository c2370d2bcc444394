/** The synthetic application generator (used by the local intermediary, `postfach send` and the tests). */
export {
  generateApplication,
  SERVICES,
  XSOZIAL_NS,
  type GenerateOptions,
  type GeneratedApplication,
  type GeneratedDocumentInfo,
  type ApplicationFacts,
  type Service,
  type HouseholdKind,
} from './application.js';
export { generateEvidenceFile, evidenceChunks, evidenceFileSize, evidencePlan, type EvidencePlan, EVIDENCE_MIME, type EvidenceKind, type EvidenceFileOptions } from './evidence.js';
export { fictitiousIban } from './household.js';
