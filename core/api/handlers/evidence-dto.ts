/**
 * The one place where the mailbox's domain facts become the contract's DTOs: store list items, signature checks,
 * certificate facts, the inspection report, what the signature covers of each part, an opened message. The
 * evidence is stored as codes (core/domain); the words the contract carries beside the codes come from the one
 * words module per language (core/domain/words), with the dates in them in the office time zone.
 */
import type { PartCoverageFacts } from '../../domain/coverage.js';
import { inspectionVerdict, UNREADABLE_KIND_PATTERN, type CertificateFacts, type InspectionFacts, type SignatureCheckFacts } from '../../domain/evidence.js';
import { both, coverageSentence, signatureSentence, type EvidenceWords, type Language } from '../../domain/words/index.js';
import { listNames } from '../../mailbox/list-names.js';
import type { MessageFacts } from '../../mailbox/message-detail.js';
import { personName, type DeliveryListItem } from '../../store/index.js';
import { clipText } from '../../text-bounds.js';
import { DEFAULT_OFFICE_TIME_ZONE, officeTime } from '../../time/office-time.js';
import { creationCheckCodeSchema } from '../contract/legal-time.js';
import {
  messageListItemSchema,
  signatureStatusSchema,
  type CertificateSummary,
  type MessageDetail,
  type MessageListItem,
  type PartCoverage,
  type SignatureCheck,
} from '../contract/mailbox.js';
import { unreadableWords } from '../contract/unreadable.js';

type Inspection = MessageDetail['inspections'][number];

function clipOrNull(value: string | null, max: number): string | null {
  return value === null ? null : clipText(value, max);
}

/** A store list item as the contract's; "nicht lesbar" said from its kind. */
export function listItemDto(item: DeliveryListItem): MessageListItem {
  const status = signatureStatusSchema.safeParse(item.signatureStatus);
  // the store keeps the kind (migration 13); a row written otherwise (a damaged one) keeps its own text
  const kind =
    item.unreadableReason === null ? null : ([item.unreadableKind, item.unreadableReason].find((k): k is string => k !== null && UNREADABLE_KIND_PATTERN.test(k)) ?? null);
  const reason = item.unreadableReason === null ? null : kind === null ? clipText(item.unreadableReason, 4000) : unreadableWords(kind).de;
  return messageListItemSchema.parse({
    id: item.id,
    messageId: item.messageId,
    // rows stored before the list columns were bounded (store: 1,024 characters) still fit the contract
    subject: clipOrNull(item.subject, 4000),
    eingang: item.eingang,
    eingangKnown: item.eingangKnown,
    creationCheck: creationCheckCodeSchema.safeParse(item.creationCheck).data ?? null,
    fetchedAt: item.fetchedAt,
    applicants: item.applicants.slice(0, 50).map((a) => clipText(a, 200)),
    applicantNames: item.applicantNames === null ? null : listNames(item.applicantNames),
    benefit: { code: clipOrNull(item.benefitCode, 200), text: clipOrNull(item.benefitText, 200) },
    applicationDate: item.applicationDate,
    isTest: item.isTest,
    attachmentCount: item.attachmentCount,
    signatureStatus: status.success ? status.data : null,
    state: item.state,
    unread: item.unread,
    unreadableReason: reason,
    unreadableKind: kind,
    legalHold: item.legalHold,
    aktenzeichen: item.aktenzeichen === null ? null : clipText(item.aktenzeichen, 100),
    followUpOn: item.followUpOn,
    // the shared inbox: persons shown by name (a service account without its `serve:` mark)
    ...(item.claim === undefined ? {} : { claim: item.claim === null ? null : { ...item.claim, by: clipText(personName(item.claim.by), 200) } }),
    ...(item.transfer === undefined
      ? {}
      : { transfer: item.transfer === null ? null : { by: item.transfer.by === null ? null : clipText(personName(item.transfer.by), 200), at: item.transfer.at } }),
  });
}

/** A certificate of the evidence with its warnings in words, the dates in them in the office zone. */
export function certificateDto(c: CertificateFacts, timeZone: string = DEFAULT_OFFICE_TIME_ZONE): CertificateSummary {
  const office = officeTime(timeZone);
  // as the certificate facts say them (core/pki/certificate-facts.ts): the office's day, German and ISO
  const day = (iso: string, language: Language): string => (language === 'de' ? office.date(iso) : (office.day(iso) ?? ''));
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprintSha256: c.fingerprintSha256,
    keyAlgorithm: c.keyAlgorithm,
    ...(c.keyBits === undefined ? {} : { keyBits: c.keyBits }),
    warnings: c.warnings.map((w) => ({
      code: w.code,
      ...both((words, language) => words.certificateWarning({ ...w, validFrom: day(c.validFrom, language), validTo: day(c.validTo, language) })),
    })),
  };
}

/** A signature check with its sentence and reasons in words. */
export function signatureCheckDto(check: SignatureCheckFacts, timeZone?: string): SignatureCheck {
  const { signer, reasons, ...rest } = check;
  return {
    ...rest,
    words: both((w) => signatureSentence(w, check.result, check.certificate, check.revocation)),
    ...(signer === undefined ? {} : { signer: certificateDto(signer, timeZone) }),
    reasons: reasons.map((code) => both((w) => w.signatureReason[code])),
  };
}

/** The intermediary's verdict on an inspected certificate in words. */
export function inspectionWords(w: EvidenceWords, i: InspectionFacts): string {
  const verdict = inspectionVerdict(i);
  return verdict === 'valid' ? w.inspectionValid : verdict === 'revoked' ? w.inspectionRevoked : w.inspectionNotInOrder(i.mathResult ?? '?', i.offlineResult ?? '?');
}

export function inspectionDto(i: InspectionFacts): Inspection {
  // an entry that names no certificate: said so in German, as the report always did
  return { ...i, subject: i.subject === '' ? both((w) => w.inspectionSubjectUnknown).de : i.subject, words: both((w) => inspectionWords(w, i)) };
}

export function partCoverageDto(c: PartCoverageFacts): PartCoverage {
  return { ...c, signatures: [...c.signatures], words: both((w) => coverageSentence(w, c.status, c.role)) };
}

/** An opened message as the contract's detail. */
export function messageDetailDto(m: MessageFacts, timeZone?: string): MessageDetail {
  return {
    item: listItemDto(m.item),
    laufzettel: m.laufzettel,
    signatures: m.signatures.map((s) => signatureCheckDto(s, timeZone)),
    parts: m.parts.map((p) => ({ ...p, coverage: partCoverageDto(p.coverage) })),
    inspections: m.inspections.map(inspectionDto),
    content: m.content,
    view: m.view,
    ...(m.viewError === undefined ? {} : { viewError: m.viewError }),
    documents: m.documents.map(({ coverage, ...d }) => ({ ...d, ...(coverage === undefined ? {} : { coverage: partCoverageDto(coverage) }) })),
    checklist: [...m.checklist],
    caseWork: m.caseWork,
    times: m.times,
  };
}
