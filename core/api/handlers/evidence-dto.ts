/**
 * The one place where the mailbox's domain facts become the contract's DTOs: store list items, signature checks,
 * certificate facts, the inspection report, what the signature covers of each part, an opened message. The
 * evidence is stored as codes (core/domain), and the contract carries the same codes and the facts their words need
 * (dates, names, counts) — never words: those are said where shown (renderer, command line, PDF), from the one
 * words module per language (core/domain/words).
 */
import type { PartCoverageFacts } from '../../domain/coverage.js';
import { inspectionVerdict, UNREADABLE_KIND_PATTERN, type CertificateFacts, type InspectionFacts, type SignatureCheckFacts } from '../../domain/evidence.js';
import { listNames } from '../../mailbox/list-names.js';
import type { MessageFacts } from '../../mailbox/message-detail.js';
import { personName, type DeliveryListItem } from '../../store/index.js';
import { clipText } from '../../text-bounds.js';
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

type Inspection = MessageDetail['inspections'][number];

function clipOrNull(value: string | null, max: number): string | null {
  return value === null ? null : clipText(value, max);
}

/** The kind of a "nicht lesbar" row whose stored kind is no kind (a damaged row): its general words (migration 13 does the same). */
const UNREADABLE_OTHER = 'unreadable';

/** A store list item as the contract's; "nicht lesbar" as its kind. */
export function listItemDto(item: DeliveryListItem): MessageListItem {
  const status = signatureStatusSchema.safeParse(item.signatureStatus);
  // the store keeps the kind (migration 13); a row written otherwise (a damaged one) is "nicht lesbar" in general words
  const kind =
    item.unreadableReason === null
      ? null
      : ([item.unreadableKind, item.unreadableReason].find((k): k is string => k !== null && UNREADABLE_KIND_PATTERN.test(k)) ?? UNREADABLE_OTHER);
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

/** A certificate of the evidence: its facts, each warning with the validity its words name. */
export function certificateDto(c: CertificateFacts): CertificateSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprintSha256: c.fingerprintSha256,
    keyAlgorithm: c.keyAlgorithm,
    ...(c.keyBits === undefined ? {} : { keyBits: c.keyBits }),
    warnings: c.warnings.map((w) => ({ ...w, validFrom: c.validFrom, validTo: c.validTo })),
  };
}

/** A signature check: its codes, the signer's facts. */
export function signatureCheckDto(check: SignatureCheckFacts): SignatureCheck {
  const { signer, reasons, ...rest } = check;
  return { ...rest, ...(signer === undefined ? {} : { signer: certificateDto(signer) }), reasons: [...reasons] };
}

/** An entry of the intermediary's inspection report with its verdict (from the raw results) as a code. */
export function inspectionDto(i: InspectionFacts): Inspection {
  return { ...i, verdict: inspectionVerdict(i) };
}

export function partCoverageDto(c: PartCoverageFacts): PartCoverage {
  return { ...c, signatures: [...c.signatures] };
}

/**
 * An opened message as the contract's detail. `_timeZone`: taken for its callers' sake; the detail carries codes and
 * ISO times, no words, so nothing in it depends on the office zone.
 */
export function messageDetailDto(m: MessageFacts, _timeZone?: string): MessageDetail {
  return {
    item: listItemDto(m.item),
    laufzettel: m.laufzettel,
    signatures: m.signatures.map(signatureCheckDto),
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
