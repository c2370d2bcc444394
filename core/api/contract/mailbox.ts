/**
 * Contract area "mailbox": the store, the mailbox identity, fetching, the message list and detail, documents,
 * the caseworker's state changes, exports, the audit log and retention. Answered by the engine
 * (core/api/handlers/mailbox.ts), run off the UI thread.
 *
 * Everything here is a DTO made for the UI, not a store row: times are ISO 8601 strings with offset (UTC, `Z`;
 * shown to a person only through core/time/office-time.ts, in the office time zone), certificates are
 * described (subject, fingerprint, validity), never shipped as DER. Passwords and key files go IN only (set-up,
 * opening the store); no output carries a key or a password — the recovery key is the one exception, shown once
 * when a store is created. No Node and no DOM here (the renderer imports this file).
 */
import { z } from 'zod';
import { deliveryViewSchema, displayValueSchema } from '../../xsozial/view-schema.js';
import { postfachErrorJsonSchema } from '../wire.js';
import { serviceEvent, serviceMethod } from '../contract-kit.js';
import { count, filePath, fingerprint, isoTime, noInput, secret, shortText, text } from './fields.js';
import { creationCheckCodeSchema, creationCheckSchema, validityBasisSchema } from './legal-time.js';
import { personNameSchema } from '../../xsozial/person-names.js';
import { UNREADABLE_KIND_PATTERN } from './unreadable.js';
import { COVERAGE_STATUSES, PART_ROLES } from './coverage.js';
import {
  CERTIFICATE_TRUSTS,
  CERTIFICATE_WARNING_CODES,
  INSPECTION_VERDICTS,
  REVOCATIONS,
  SIGNATURE_REASON_CODES,
  SIGNATURE_RESULTS,
  SIGNATURE_ROLES,
  SIGNATURE_STATUSES,
} from '../../domain/evidence.js';
import { caseWorkPatchSchema, caseWorkSchema, officeDaySchema } from './case-work.js';

const storeId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const userTextSchema = z.lazy(() => z.strictObject({ de: text, en: text }));

// ---------------------------------------------------------------------------------------------------------------
// store

export const keyWrapperSchema = z.lazy(() =>
  z.strictObject({
    /** "password", "recovery" or the protector's id (e.g. `safestorage:<os user>`). */
    id: shortText,
    type: z.enum(['password', 'recovery', 'protector']),
    createdAt: isoTime,
  }),
);

export const storeStatusSchema = z.lazy(() =>
  z.strictObject({
    /** none: no store at the path yet · locked: a store exists, not opened · open: ready. */
    state: z.enum(['none', 'locked', 'open']),
    path: filePath,
    /** The ways in (from the key file; empty when there is no store). */
    wrappers: z.array(keyWrapperSchema).max(50),
    /** The host supplied an OS key store protector (desktop app); `unlock: {protector: true}` may then be used. */
    protectorAvailable: z.boolean(),
    /** The mailbox identity is set up (open stores only). */
    identityConfigured: z.boolean(),
  }),
);
export type StoreStatus = z.infer<typeof storeStatusSchema>;

export const storeUnlockSchema = z.lazy(() =>
  z.union([
    z.strictObject({ password: secret }),
    z.strictObject({ recoveryKey: z.string().min(1).max(200) }),
    /** The OS key store of the desktop app (the host's protector). */
    z.strictObject({ protector: z.literal(true) }),
  ]),
);

/** Where the store lies: default `<data folder>/postfach.db`; the command line names it with `--store`. */
const storeLocation = { path: filePath.optional() };

// ---------------------------------------------------------------------------------------------------------------
// identity

/**
 * A warning of a certificate as a code with the facts its words need (core/domain/words `warningSentence`): the
 * days, the key role, the key's bits, the algorithm, and the certificate's validity (its dates are in the sentence).
 * No words: they are said where shown, in the office time zone.
 */
export const certificateWarningSchema = z.lazy(() =>
  z.strictObject({
    code: z.enum(CERTIFICATE_WARNING_CODES),
    /** expires-soon: whole days left; expired: days since expiry. */
    days: z.number().int().optional(),
    /** wrong-key-usage: the role the key does not fit. */
    role: z.enum(['cipher', 'signature']).optional(),
    /** weak-key: the key's length and the recommended minimum in bit. */
    bits: z.number().int().nonnegative().optional(),
    minimum: z.number().int().nonnegative().optional(),
    /** weak-signature-algorithm: the algorithm's name. */
    algorithm: shortText.optional(),
    /** The validity of the certificate warned about. */
    validFrom: isoTime,
    validTo: isoTime,
    /** Of the separate signature certificate beside the cipher certificate (rotation): said so. */
    signatureCertificate: z.literal(true).optional(),
  }),
);
export type CertificateWarning = z.infer<typeof certificateWarningSchema>;

/** A certificate as the UI shows it. */
export const certificateSummarySchema = z.lazy(() =>
  z.strictObject({
    subject: text,
    issuer: text,
    serialNumber: shortText,
    validFrom: isoTime,
    validTo: isoTime,
    fingerprintSha256: fingerprint,
    keyAlgorithm: shortText,
    keyBits: z.number().int().positive().optional(),
    warnings: z.array(certificateWarningSchema).max(20),
  }),
);
export type CertificateSummary = z.infer<typeof certificateSummarySchema>;

export const expirySchema = z.lazy(() =>
  z.strictObject({
    status: z.enum(['ok', 'expires-soon', 'expired']),
    /** Whole days until the mailbox key's certificate expires (negative: expired that many days ago). */
    daysLeft: z.number().int(),
    validTo: isoTime,
    text: userTextSchema,
  }),
);

export const identitySchema = z.lazy(() =>
  z.strictObject({
    /** The mailbox identity: the cipher certificate (decrypts), and the signature key's certificate (may be the same). */
    cipherCertificate: certificateSummarySchema,
    signatureCertificate: certificateSummarySchema,
    sameKey: z.boolean(),
    intermediaryUrl: z.string().max(2000),
    /** Requests are encrypted for it. */
    intermediaryCertificate: certificateSummarySchema,
    /** Every response must be signed by one of these (a certificate, or a CA it chains to). */
    intermediarySigners: z.array(certificateSummarySchema).max(20),
    /** CAs whose certificates count as "vertrauenswürdig" for author signatures now (office and IT; the trust area lists them). */
    trustedCas: z.array(certificateSummarySchema).max(200),
    /** Extra CA certificates for the HTTPS connection (beside the system's). */
    tlsCas: z.array(certificateSummarySchema).max(20),
    /** Fetch large deliveries in chunks of this many KB (PartialFetchDelivery); null: only where the intermediary offers it. */
    partialFetchKb: z.number().int().positive().max(1_048_576).nullable(),
    /** Seconds without progress before a request is given up. */
    timeoutSeconds: z.number().int().positive().max(3600),
    /** Expiry of the mailbox key (the earlier of cipher and signature certificate). */
    expiry: expirySchema,
    configuredAt: isoTime,
  }),
);
export type MailboxIdentityDto = z.infer<typeof identitySchema>;

export const keyCandidateSchema = z.lazy(() =>
  z.strictObject({
    alias: shortText.nullable(),
    fingerprintSha256: fingerprint,
    certificate: certificateSummarySchema,
    suitableFor: z.strictObject({ cipher: z.boolean(), signature: z.boolean() }),
  }),
);

/** The connection settings that can change without importing the key again (files are read by the engine). */
const connectionFields = {
  intermediaryUrl: z.string().min(1).max(2000),
  intermediaryCertificateFile: filePath,
  /** Default: the intermediary certificate file itself. */
  intermediarySignerFiles: z.array(filePath).max(20).optional(),
  /** CA files (.cer/.pem/.p7b) whose CAs the office trusts for sender signatures: added to the store's list (trust area). */
  trustedCaFiles: z.array(filePath).max(50).optional(),
  tlsCaFiles: z.array(filePath).max(20).optional(),
  partialFetchKb: z.number().int().positive().max(1_048_576).nullable().optional(),
  timeoutSeconds: z.number().int().positive().max(3600).optional(),
};

/** A mailbox key file and how to open it: the identity's set-up and the staging of a new key (rotation). */
export const keyFileFields = {
  /** The mailbox key (.p12/.pfx); read once, its keys are kept encrypted in the store (PKCS#8 + certificate). */
  keyFile: filePath,
  password: secret,
  /** Where the signature key is in a separate file. */
  signatureKeyFile: filePath.optional(),
  signaturePassword: secret.optional(),
  /** Chooses among several keys (SHA-256 fingerprint, as `identity.inspectKeyFile` lists them). */
  cipherKeyFingerprint: fingerprint.optional(),
  signatureKeyFingerprint: fingerprint.optional(),
};

export const identitySetupSchema = z.lazy(() =>
  z.strictObject({
    ...keyFileFields,
    ...connectionFields,
  }),
);

export const connectionUpdateSchema = z.lazy(() =>
  z.strictObject({
    intermediaryUrl: connectionFields.intermediaryUrl.optional(),
    intermediaryCertificateFile: filePath.optional(),
    intermediarySignerFiles: connectionFields.intermediarySignerFiles,
    tlsCaFiles: connectionFields.tlsCaFiles,
    partialFetchKb: connectionFields.partialFetchKb,
    timeoutSeconds: connectionFields.timeoutSeconds,
  }),
);

/** A one-off identity from files (the command line's `--p12 ... --intermediary ...`); nothing of it is stored. */
export const identityFilesSchema = identitySetupSchema;

// ---------------------------------------------------------------------------------------------------------------
// fetch

export const fetchProgressSchema = z.lazy(() =>
  z.strictObject({
    phase: z.enum(['connecting', 'fetching', 'storing', 'receipts', 'closing', 'done', 'cancelled', 'failed']),
    /** Deliveries handled so far in this run (new + already stored + nicht lesbar). */
    messagesDone: count,
    /** Known only where the intermediary said how many there are. */
    messagesTotal: count.optional(),
    /** Bytes received from the intermediary in this run. */
    bytesDone: count,
    newMessages: count.optional(),
    duplicates: count.optional(),
    unreadable: count.optional(),
  }),
);
export type FetchProgress = z.infer<typeof fetchProgressSchema>;

export const fetchResultSchema = z.lazy(() =>
  z.strictObject({
    /** complete: the mailbox is empty now · cancelled: stopped between deliveries · failed: see `error`. */
    outcome: z.enum(['complete', 'cancelled', 'failed']),
    /** Stored for the first time in this run (readable and "nicht lesbar"). */
    newMessages: count,
    /** Offered again by the intermediary but already in the store (nothing written). */
    duplicates: count,
    /** Stored as received but marked "nicht lesbar" (part of newMessages). */
    unreadable: count,
    /** 0 or 1: the failure that ended the run (`error`). */
    errors: count,
    receiptsRecorded: count,
    bytes: count,
    durationMs: count,
    /** Store ids of the messages stored in this run. */
    newIds: z.array(storeId).max(100_000),
    error: postfachErrorJsonSchema.optional(),
    /** The mailbox certificate's expiry as of this fetch (warn from 60 days before; the tray and the CLI show it). */
    expiry: expirySchema.optional() /** The hand-over folder for the case system after this fetch (absent when none is set). */,
    handover: z.strictObject({ handedOver: count, refused: count, pending: count, error: postfachErrorJsonSchema.optional() }).optional(),
  }),
);
export type FetchResult = z.infer<typeof fetchResultSchema>;

export const connectionTestSchema = z.lazy(() =>
  z.strictObject({
    ok: z.literal(true),
    url: z.string().max(2000),
    durationMs: count,
    /** The intermediary's signer as it signed the answers. */
    signer: certificateSummarySchema.optional(),
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// messages

export { SIGNATURE_STATUSES };
export const signatureStatusSchema = z.lazy(() => z.enum(SIGNATURE_STATUSES));
export type SignatureStatus = z.infer<typeof signatureStatusSchema>;

export const deliveryStateSchema = z.lazy(() => z.enum(['new', 'read', 'exported', 'transferred', 'trashed']));

export const messageRefSchema = z.lazy(() => z.union([z.strictObject({ id: storeId }), z.strictObject({ messageId: z.string().min(1).max(1024) })]));

export const listQuerySchema = z.lazy(() =>
  z.strictObject({
    /** inbox (default): everything outside the Papierkorb · trash: only the Papierkorb. */
    folder: z.enum(['inbox', 'trash']).optional(),
    unread: z.boolean().optional(),
    withAttachments: z.boolean().optional(),
    notTransferred: z.boolean().optional(),
    transferred: z.boolean().optional(),
    /** true: only Testanträge; false: none. */
    test: z.boolean().optional(),
    /** true: only "nicht lesbar"; false: only readable ones. */
    unreadable: z.boolean().optional(),
    legalHold: z.boolean().optional(),
    /** true: only those flagged for a Wiedervorlage. */
    followUp: z.boolean().optional(),
    /** Shared inbox (contract/inbox.ts): "Meine" — claimed by the caller; "Nicht zugewiesen" — claimed by nobody. */
    view: z.enum(['mine', 'unassigned']).optional(),
    /** Eingang from (inclusive) / to (exclusive), ISO 8601. */
    from: isoTime.optional(),
    to: isoTime.optional(),
    /** Grouping by Eingang day: for each moment, how many rows have their Eingang at or after it (`atOrAfter`). */
    countFrom: z.array(isoTime).max(12).optional(),
    /** Full-text search over names, ids, subject and content text; every word must match as a prefix. */
    search: z.string().max(200).optional(),
    sort: z.enum(['eingang', 'applicant', 'benefit', 'state', 'followUp']).optional(),
    descending: z.boolean().optional(),
    offset: z.number().int().nonnegative().max(10_000_000).optional(),
    /** Default 50, at most 1000. */
    limit: z.number().int().positive().max(1000).optional(),
  }),
);
export type ListQueryDto = z.infer<typeof listQuerySchema>;

export const messageListItemSchema = z.lazy(() =>
  z.strictObject({
    id: storeId,
    messageId: z.string().max(1024),
    subject: text.nullable(),
    /** The process card's Creation ("Eingang", the legal date of the application); the fetch time while unknown. */
    eingang: isoTime,
    eingangKnown: z.boolean(),
    /**
     * Whether the Creation could be taken as the Eingang (contract/legal-time.ts); null for deliveries fetched before
     * the check was stored. An implausible one is shown as such with `fetchedAt` beside it.
     */
    creationCheck: creationCheckCodeSchema.nullable(),
    /** When this program received the delivery (its own clock). */
    fetchedAt: isoTime,
    /** "Vorname Nachname" as stored (older stores: as the list showed it). */
    applicants: z.array(shortText).max(50),
    /** The same names in their parts (the UI writes them "Nachname, Vorname" by the setting); null: none kept. */
    applicantNames: z.array(personNameSchema).max(50).nullable(),
    benefit: z.strictObject({ code: shortText.nullable(), text: shortText.nullable() }),
    applicationDate: shortText.nullable(),
    isTest: z.boolean(),
    attachmentCount: count,
    signatureStatus: signatureStatusSchema.nullable(),
    state: deliveryStateSchema,
    unread: z.boolean(),
    /**
     * "nicht lesbar": the stable kind of why the content could not be decrypted, verified or read (e.g.
     * `no-matching-key`; its words: contract/unreadable.ts `unreadableWords`); null when readable.
     */
    unreadableKind: z.string().regex(UNREADABLE_KIND_PATTERN).nullable(),
    legalHold: z.boolean(),
    /** The office's file number (contract/case-work.ts); null: none. */
    aktenzeichen: caseWorkSchema.unwrap().shape.aktenzeichen,
    /** Wiedervorlage day; null: not flagged. */
    followUpOn: officeDaySchema.nullable(),
    /** Shared inbox: who works on it ("in Bearbeitung durch …", `mine`: the caller), since when; null: nobody. */
    claim: z.strictObject({ by: shortText, at: isoTime, mine: z.boolean() }).nullable().optional(),
    /** Who marked it "übertragen" (null: before schema 17) and when; null: not transferred. */
    transfer: z.strictObject({ by: shortText.nullable(), at: isoTime }).nullable().optional(),
  }),
);
export type MessageListItem = z.infer<typeof messageListItemSchema>;

export const messagePageSchema = z.lazy(() =>
  z.strictObject({
    items: z.array(messageListItemSchema).max(1000),
    total: count,
    offset: count,
    /** Per moment of `countFrom`, in its order. */
    atOrAfter: z.array(count).max(12).optional(),
  }),
);

export const countsSchema = z.lazy(() =>
  z.strictObject({
    inbox: count,
    unread: count,
    notTransferred: count,
    transferred: count,
    unreadable: count,
    test: count,
    trash: count,
    /** Flagged for a Wiedervorlage. */
    followUp: count,
    /** Shared inbox: claimed by the caller, and by nobody. */
    mine: count.optional(),
    unassigned: count.optional(),
  }),
);

/** One signature check as codes (their words: core/domain/words `signatureSentence`), with the technical detail for IT. */
export const signatureCheckSchema = z.lazy(() =>
  z.strictObject({
    /** author: the sender's signature over the content · intermediary: the response signature (checked at fetch). */
    role: z.enum(SIGNATURE_ROLES),
    /** Container id for author signatures. */
    container: shortText.optional(),
    result: z.enum(SIGNATURE_RESULTS),
    /** Whether the signer's certificate chains to a CA local IT configured as trusted. */
    certificate: z.enum(CERTIFICATE_TRUSTS),
    signer: certificateSummarySchema.optional(),
    algorithm: shortText.optional(),
    /** Validity was evaluated at this time: the delivery's Eingang when plausible, else the time of receipt. */
    checkedAt: isoTime.optional(),
    /** Which of the two `checkedAt` is (core/mailbox/legal-time.ts); absent in checks stored before it was kept. */
    validityBasis: validityBasisSchema.optional(),
    /**
     * The signer certificate's end of validity when it was valid at `checkedAt` but has expired since ("inzwischen
     * abgelaufen"); said wherever the result is shown.
     */
    expiredSince: isoTime.optional(),
    revocation: z.enum(REVOCATIONS),
    /** Why the certificate is not trusted, or a note of the fetch (words: `signatureReason`). */
    reasons: z.array(z.enum(SIGNATURE_REASON_CODES)).max(20),
    technical: text,
  }),
);
export type SignatureCheck = z.infer<typeof signatureCheckSchema>;

/** One entry of the intermediary's inspection report (its statement, not a proof). */
export const inspectionSchema = z.lazy(() =>
  z.strictObject({
    subject: text,
    issuer: text.optional(),
    serialNumber: shortText.optional(),
    certType: shortText.optional(),
    mathResult: shortText.optional(),
    offlineResult: shortText.optional(),
    onlineResult: shortText.optional(),
    time: isoTime.optional(),
    /** The intermediary's verdict from its raw results (words: core/domain/words `inspectionSentence`). */
    verdict: z.enum(INSPECTION_VERDICTS),
  }),
);

/** Inline documents (xsb:dokument in the XML) and OSCI attachments, one list for the viewer. */
export const documentRefSchema = z.lazy(() =>
  z.union([
    z.strictObject({ source: z.literal('inline'), ordinal: z.number().int().nonnegative().max(1_000_000) }),
    z.strictObject({ source: z.literal('attachment'), attachmentId: storeId }),
    /** The delivered content itself (the XML, or the delivery as received when "nicht lesbar"). */
    z.strictObject({ source: z.literal('content') }),
  ]),
);
export type DocumentRef = z.infer<typeof documentRefSchema>;

/**
 * What the author signature covers of one part (contract/coverage.ts): role and status as codes, the covering
 * signatures as indexes into the detail's `signatures`, where the part sat (container path, Content id); its words
 * are said where shown (core/domain/words `coverageSentence`). Role null: stored before per-part coverage was recorded.
 */
export const partCoverageSchema = z.lazy(() =>
  z.strictObject({
    role: z.enum(PART_ROLES).nullable(),
    status: z.enum(COVERAGE_STATUSES),
    signatures: z.array(z.number().int().nonnegative().max(1000)).max(50),
    container: shortText.nullable(),
    contentId: shortText.nullable(),
  }),
);
export type PartCoverage = z.infer<typeof partCoverageSchema>;

/** One part of the delivery as stored: the content (the application, or the delivery as received) or an attachment. */
export const deliveryPartSchema = z.lazy(() =>
  z.strictObject({
    ref: z.union([z.strictObject({ source: z.literal('content') }), z.strictObject({ source: z.literal('attachment'), attachmentId: storeId })]),
    name: text,
    mimeType: shortText.nullable(),
    size: count,
    sha256: z.string().max(64),
    coverage: partCoverageSchema,
  }),
);
export type DeliveryPart = z.infer<typeof deliveryPartSchema>;

export const documentEntrySchema = z.lazy(() =>
  z.strictObject({
    ref: documentRefSchema,
    name: text,
    fileName: text.optional(),
    mimeType: shortText.optional(),
    detectedMimeType: shortText.optional(),
    mimeMismatch: z.boolean(),
    size: count,
    sha256: z.string().max(64),
    isApplicationForm: z.boolean(),
    problem: userTextSchema.optional(),
    /** The file name an export writes (extension from the detected content; hidden characters as visible tokens). */
    exportName: text,
    /** False: the content is of no allowed type and is exported as ".bin" — the UI warns. */
    exportAllowed: z.boolean(),
    /** What the signature covers of it (inline documents share the application's). */
    coverage: partCoverageSchema.optional(),
  }),
);

export const laufzettelSchema = z.lazy(() =>
  z.strictObject({
    messageId: z.string().max(1024),
    subject: text.nullable(),
    /** Creation: stored at the intermediary — "Eingang", the legal date of the application. */
    eingang: isoTime.nullable(),
    /** The Creation check (contract/legal-time.ts); null when none was stored. */
    creationCheck: creationCheckSchema.nullable(),
    /** Forwarding: handed to this client. */
    forwarding: isoTime.nullable(),
    /** Reception: acknowledged by this client (the next request of the dialog). */
    reception: isoTime.nullable(),
    fetchedAt: isoTime,
    sender: certificateSummarySchema.nullable(),
    recipient: certificateSummarySchema.nullable(),
  }),
);

export const messageDetailSchema = z.lazy(() =>
  z.strictObject({
    item: messageListItemSchema,
    laufzettel: laufzettelSchema,
    signatures: z.array(signatureCheckSchema).max(50),
    /** Every stored part with what the signature covers of it: the content first, then the attachments in order. */
    parts: z.array(deliveryPartSchema).max(10_001),
    inspections: z.array(inspectionSchema).max(50),
    content: z.strictObject({ size: count, sha256: z.string().max(64), contentType: shortText.nullable() }),
    /** The readable view (null when "nicht lesbar" or the XML cannot be read now: `viewError`). */
    view: deliveryViewSchema.nullable(),
    viewError: postfachErrorJsonSchema.optional(),
    documents: z.array(documentEntrySchema).max(10_000),
    checklist: z.array(z.string().max(64)).max(100),
    /** The office's Aktenzeichen, note and Wiedervorlage. */
    caseWork: caseWorkSchema,
    times: z.strictObject({
      fetchedAt: isoTime,
      readAt: isoTime.nullable(),
      exportedAt: isoTime.nullable(),
      transferredAt: isoTime.nullable(),
      trashedAt: isoTime.nullable(),
    }),
  }),
);
export type MessageDetail = z.infer<typeof messageDetailSchema>;

/** At most 1 MiB per chunk: documents of 100 MB cross the contract in pieces, never as one JSON value. */
export const DOCUMENT_CHUNK_MAX = 1024 * 1024;

export const documentChunkSchema = z.lazy(() =>
  z.strictObject({
    offset: count,
    /** Total size of the document. */
    size: count,
    /** The bytes, base64. */
    data: z.string().max(Math.ceil(DOCUMENT_CHUNK_MAX / 3) * 4),
    done: z.boolean(),
  }),
);

export const exportFormatSchema = z.lazy(() => z.enum(['pdf', 'xml', 'attachments', 'receipt']));

export const exportResultSchema = z.lazy(() =>
  z.strictObject({
    files: z.array(z.strictObject({ path: filePath, size: count, sha256: z.string().max(64).optional() })).max(10_000),
    /** PDF only: whether PDF/A-3b was claimed, and why not. */
    pdfa: z.boolean().optional(),
    notes: z.array(text).max(100).optional(),
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// audit log and retention

export const auditEntrySchema = z.lazy(() =>
  z.strictObject({
    seq: count,
    at: isoTime,
    osUser: shortText,
    /** The action's code (core/store/audit-actions.ts); its words are said where shown (core/store/audit-words.ts `auditWords`). */
    action: shortText,
    deliveryId: z.number().int().nullable(),
    messageId: z.string().max(1024).nullable(),
    /** The parameters as stored (versioned JSON; free text in entries written before schema 9). */
    detail: text.nullable(),
    hash: z.string().max(64),
  }),
);

export const retentionSettingsSchema = z.lazy(() =>
  z.strictObject({
    retentionTransferredDays: z.number().int().nonnegative().max(36_500),
    retentionTrashDays: z.number().int().nonnegative().max(36_500),
  }),
);

export const retentionCandidateSchema = z.lazy(() =>
  z.strictObject({
    id: storeId,
    messageId: z.string().max(1024),
    reason: z.enum(['transferred', 'trash']),
    dueAt: isoTime,
  }),
);

const idInput = <S extends z.ZodRawShape>(shape: S) => z.strictObject({ id: storeId, ...shape });

export const mailboxMethods = {
  // store
  /** Whether a store exists at the path and is open; never opens anything. */
  'store.status': serviceMethod(
    () => z.strictObject(storeLocation),
    () => storeStatusSchema,
  ),
  /**
   * Creates the store (password and/or the host's OS key store; always a recovery key) and opens it. With
   * `identity` (the set-up): the key files and the connection are read and checked FIRST, and the store is created
   * with the identity in it, or not at all — a set-up that fails leaves no store behind and shows no recovery key.
   */
  'store.create': serviceMethod(
    () => z.strictObject({ ...storeLocation, password: z.string().min(8).max(1024).optional(), protector: z.boolean().optional(), identity: identitySetupSchema.optional() }),
    () => z.strictObject({ status: storeStatusSchema, recoveryKey: z.string().max(200) }),
  ),
  'store.open': serviceMethod(
    () => z.strictObject({ ...storeLocation, unlock: storeUnlockSchema }),
    () => storeStatusSchema,
  ),
  'store.close': serviceMethod(
    () => noInput,
    () => storeStatusSchema,
  ),
  /** Lets the OS key store of this user open the store from now on (desktop app; the store must be open). */
  'store.addProtector': serviceMethod(
    () => noInput,
    () => storeStatusSchema,
  ),
  /** Sets or replaces the command-line password (at least 8 characters). */
  'store.setPassword': serviceMethod(
    () => z.strictObject({ password: z.string().min(8).max(1024) }),
    () => storeStatusSchema,
  ),
  /** A new recovery key (the old one stops working; the store must be open); shown once, like the first one. */
  'store.renewRecoveryKey': serviceMethod(
    () => noInput,
    () => z.strictObject({ status: storeStatusSchema, recoveryKey: z.string().max(200) }),
  ),

  // identity
  'identity.get': serviceMethod(
    () => noInput,
    () => z.strictObject({ identity: identitySchema.nullable() }),
  ),
  /** The keys in a .p12 file, to choose from when it holds several. */
  'identity.inspectKeyFile': serviceMethod(
    () => z.strictObject({ keyFile: filePath, password: secret }),
    () => z.strictObject({ keys: z.array(keyCandidateSchema).max(50) }),
  ),
  /** Imports the mailbox key once (kept encrypted in the store) and sets the connection. */
  'identity.setup': serviceMethod(
    () => identitySetupSchema,
    () => identitySchema,
  ),
  'identity.updateConnection': serviceMethod(
    () => connectionUpdateSchema,
    () => identitySchema,
  ),

  // fetch
  /** Opens a dialog with the intermediary and closes it again (InitDialog, ExitDialog): URL, keys, signer. */
  'mailbox.testConnection': serviceMethod(
    () =>
      z.strictObject({
        /** A one-off identity from files (the command line checks it before a first fetch creates the store); nothing is stored. */
        identity: identityFilesSchema.optional(),
      }),
    () => connectionTestSchema,
  ),
  /** Fetches every new delivery (progress: `fetch.progress`); resolves when done, cancelled or failed. */
  'mailbox.fetch': serviceMethod(
    () =>
      z.strictObject({
        /** One-off identity from files instead of the stored one (command line). */
        identity: identityFilesSchema.optional(),
        maxDeliveries: z.number().int().positive().max(100_000).optional(),
      }),
    () => fetchResultSchema,
  ),
  /** Asks a running fetch to stop after the delivery in hand (it is stored first). */
  'mailbox.cancelFetch': serviceMethod(
    () => noInput,
    () => z.strictObject({ cancelling: z.boolean() }),
  ),

  // messages
  'messages.list': serviceMethod(
    () => listQuerySchema,
    () => messagePageSchema,
  ),
  'messages.counts': serviceMethod(
    () => noInput,
    () => countsSchema,
  ),
  /** A caseworker opens a message: audited as "geöffnet", marked read. */
  'messages.detail': serviceMethod(
    () => z.strictObject({ ref: messageRefSchema }),
    () => messageDetailSchema,
  ),
  /** Bytes of a document (or of the content), at most 1 MiB per call. */
  'messages.documentChunk': serviceMethod(
    () => idInput({ document: documentRefSchema, offset: count, length: z.number().int().positive().max(DOCUMENT_CHUNK_MAX) }),
    () => documentChunkSchema,
  ),
  /**
   * One value of the message in full: the detail's view shortens long values (`fullLength` set); `where` and
   * `valueId` name the field of a card or the tree node / attribute it is shown as.
   */
  'messages.value': serviceMethod(
    () =>
      idInput({
        where: z.enum(['card', 'tree']),
        valueId: z
          .string()
          .min(1)
          .max(1024 * 1024),
      }),
    () => displayValueSchema,
  ),
  'messages.setRead': serviceMethod(
    () => idInput({ read: z.boolean() }),
    () => messageListItemSchema,
  ),
  'messages.setTransferred': serviceMethod(
    () => idInput({ transferred: z.boolean() }),
    () => messageListItemSchema,
  ),
  'messages.setChecklist': serviceMethod(
    () => idInput({ ticked: z.array(z.string().min(1).max(64)).max(100) }),
    () => z.strictObject({ checklist: z.array(z.string().max(64)).max(100) }),
  ),
  'messages.setTrashed': serviceMethod(
    () => idInput({ trashed: z.boolean() }),
    () => messageListItemSchema,
  ),
  'messages.setLegalHold': serviceMethod(
    () => idInput({ hold: z.boolean() }),
    () => messageListItemSchema,
  ),
  /** Aktenzeichen, note, Wiedervorlage (fields left out stay); each change audited. */
  'messages.setCaseWork': serviceMethod(
    () => idInput({ change: caseWorkPatchSchema }),
    () => z.strictObject({ item: messageListItemSchema, caseWork: caseWorkSchema }),
  ),
  /** Deletes a message for good (refused while on legal hold). */
  'messages.deletePermanently': serviceMethod(
    () => idInput({}),
    () => z.strictObject({ deleted: z.literal(true) }),
  ),
  /** pdf / xml / receipt: `target` is the file; attachments: `target` is a folder. Audited as "exportiert". */
  /** `document` (format attachments only): just that one document or attachment, into the target folder. */
  'messages.export': serviceMethod(
    () => idInput({ format: exportFormatSchema, target: filePath, document: documentRefSchema.optional() }),
    () => exportResultSchema,
  ),
  /** Records that the message was printed (audit log). */
  'messages.recordPrinted': serviceMethod(
    () => idInput({}),
    () => z.strictObject({ recorded: z.literal(true) }),
  ),

  // audit log
  'audit.list': serviceMethod(
    () =>
      z.strictObject({
        afterSeq: count.optional(),
        limit: z.number().int().positive().max(10_000).optional(),
        /** One application: its store id or its OSCI message id. */
        deliveryId: storeId.optional(),
        messageId: z.string().min(1).max(1024).optional(),
        /** Entries about messages whose applicants' names contain these words. */
        person: z.string().max(200).optional(),
        /** From (inclusive) / to (exclusive), ISO 8601. */
        from: isoTime.refine((v) => !Number.isNaN(Date.parse(v)), 'ISO 8601').optional(),
        to: isoTime.refine((v) => !Number.isNaN(Date.parse(v)), 'ISO 8601').optional(),
      }),
    () => z.strictObject({ entries: z.array(auditEntrySchema).max(10_000) }),
  ),
  'audit.exportCsv': serviceMethod(
    () => z.strictObject({ target: filePath, delimiter: z.enum([',', ';']).optional() }),
    () => z.strictObject({ path: filePath, entries: count }),
  ),
  'audit.verify': serviceMethod(
    () => noInput,
    () => z.strictObject({ ok: z.boolean(), entries: count, firstBadSeq: count.optional(), problem: z.enum(['gap', 'link', 'hash', 'unknown-action']).optional() }),
  ),

  // retention
  'retention.settings': serviceMethod(
    () => noInput,
    () => retentionSettingsSchema,
  ),
  'retention.updateSettings': serviceMethod(
    () => retentionSettingsSchema.unwrap().partial().strict(),
    () => retentionSettingsSchema,
  ),
  /** Dry run: what retention would delete now. */
  'retention.plan': serviceMethod(
    () => noInput,
    () => z.strictObject({ candidates: z.array(retentionCandidateSchema).max(100_000) }),
  ),
  /** Deletes what the plan listed, restricted to these ids (what the user was shown). */
  'retention.apply': serviceMethod(
    () => z.strictObject({ ids: z.array(storeId).max(100_000) }),
    () => z.strictObject({ deleted: z.array(retentionCandidateSchema).max(100_000) }),
  ),
};

export const mailboxEvents = {
  'fetch.progress': serviceEvent(() => fetchProgressSchema),
  /** A fetch ended (also one started by the tray or a menu command). */
  'fetch.finished': serviceEvent(() => fetchResultSchema),
  /** New applications arrived (counts only: the tray notification must not carry personal data). */
  'mailbox.newApplications': serviceEvent(() => z.strictObject({ count: z.number().int().positive() })),
  /** Messages changed (fetched, state changed, deleted): lists and counts should be read again. */
  'messages.changed': serviceEvent(() => z.strictObject({ reason: z.enum(['fetched', 'state', 'deleted', 'retention']), ids: z.array(storeId).max(1000).optional() })),
  /** The store was opened, created or closed. */
  'store.changed': serviceEvent(() => storeStatusSchema),
};
