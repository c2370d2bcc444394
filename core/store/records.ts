/**
 * What the store keeps and hands out. The store knows nothing of OSCI's wire format: the fetch engine hands
 * over what it read, parsed and verified; results (signature, certificates, inspection report) are kept as the
 * JSON the engine produced. Times go in as Date or ISO string and come out as ISO 8601 strings (UTC), so every
 * record is JSON-serialisable for the typed contract — except certificates (DER bytes) and streams.
 */
import type { StoredPersonName } from './applicant-names.js';
import type { StoreInput } from './store-input.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type TimeInput = Date | string;

/**
 * new → read → exported → transferred ("neu → gelesen → exportiert → übertragen"); `trashed` while in the trash (the
 * steps' times are kept). Not stored: the schema keeps the steps' times and derives the rank (`state_rank`).
 */
export type DeliveryState = 'new' | 'read' | 'exported' | 'transferred' | 'trashed';

export const DELIVERY_STATES: readonly DeliveryState[] = ['new', 'read', 'exported', 'transferred', 'trashed'];

export interface ProcessCardInput {
  /** Creation: stored at the intermediary — "Eingang", the legal date of the application. */
  readonly creation?: TimeInput | null;
  readonly forwarding?: TimeInput | null;
  readonly reception?: TimeInput | null;
  /** The intermediary's inspection report as the engine parsed it. */
  readonly inspectionReport?: JsonValue;
  /** Whether the Creation could be taken as the Eingang: the engine's versioned JSON with a code (core/mailbox/legal-time.ts). */
  readonly creationCheck?: JsonValue;
}

/** What the list shows; parsed from the content by core/xsozial. Absent for "nicht lesbar" deliveries. */
export interface DeliverySummaryInput {
  /** Display names in list order, e.g. "Erika Musterfrau" (kept for the full-text search). */
  readonly applicants?: readonly string[];
  /**
   * The same names in their parts; the first one's family, then given name sorts the list (German collation).
   * Without them the parts are guessed from `applicants` ("Musterfrau, Erika" at the comma, else the last word).
   */
  readonly applicantNames?: readonly StoredPersonName[];
  readonly benefitCode?: string | null;
  readonly benefitText?: string | null;
  /** Date of the application as the citizen gave it (YYYY-MM-DD); the legal date is the process card's Creation. */
  readonly applicationDate?: string | null;
  /** Testantrag (XSozial root with test="true"). */
  readonly isTest?: boolean;
  /** e.g. "trusted", "invalid", "not-checkable", "unknown-issuer" — the engine's vocabulary (core/domain SIGNATURE_STATUSES). */
  readonly signatureStatus?: string | null;
}

export interface NewAttachment {
  readonly name: string;
  readonly mimeType: string;
  readonly content: StoreInput;
  /** When given, the store checks the bytes it received against it (hex) and refuses the delivery on mismatch. */
  readonly expectedSha256?: string;
  /** What the author signature covers of this part (the engine's versioned JSON of codes, kept opaque). */
  readonly coverage?: JsonValue;
}

export interface NewDelivery {
  readonly messageId: string;
  readonly subject?: string | null;
  readonly senderCertificate?: Uint8Array | null;
  readonly addresseeCertificate?: Uint8Array | null;
  readonly processCard?: ProcessCardInput;
  readonly signatureResult?: JsonValue;
  readonly certificateResult?: JsonValue;
  /** What the author signature covers of the content (the engine's versioned JSON of codes, kept opaque). */
  readonly contentCoverage?: JsonValue;
  /** The decrypted content exactly as received. Small contents are kept inside the database, large ones in a blob file. */
  readonly content: StoreInput;
  readonly contentType?: string | null;
  /** Read in array order, after the content. */
  readonly attachments?: readonly NewAttachment[];
  /**
   * "nicht lesbar" (the content is stored exactly as received): why, as a code — the fetch engine writes the error
   * kind (e.g. `no-matching-key`), never a sentence (schema 13); its words are said where shown. Null: readable.
   */
  readonly unreadableReason?: string | null;
  /** With `unreadableReason`: its stable kind (an error kind such as `no-matching-key`). */
  readonly unreadableKind?: string | null;
  readonly summary?: DeliverySummaryInput;
  /**
   * Text for the full-text search beyond names, ids and subject (e.g. the content's text values). Default: the
   * text of the content when it is small (kept inline) and UTF-8 markup or text.
   */
  readonly searchText?: string;
  readonly fetchedAt?: TimeInput;
}

export interface SaveResult {
  readonly id: number;
  /** false: a delivery with this OSCI message id was already stored; nothing was written. */
  readonly created: boolean;
}

export interface DeliveryListItem {
  readonly id: number;
  readonly messageId: string;
  readonly subject: string | null;
  /** The process card's Creation ("Eingang"); the fetch time while Creation is unknown (see `eingangKnown`). */
  readonly eingang: string;
  readonly eingangKnown: boolean;
  /** The code of the stored Creation check (e.g. `plausible`, `future`); null when none was stored. */
  readonly creationCheck: string | null;
  /** When this program received the delivery (the local clock), shown beside an implausible Eingang. */
  readonly fetchedAt: string;
  readonly applicants: readonly string[];
  /** The same names in their parts; null where none are kept (a "nicht lesbar" delivery, a generic message). */
  readonly applicantNames: readonly StoredPersonName[] | null;
  readonly benefitCode: string | null;
  readonly benefitText: string | null;
  readonly applicationDate: string | null;
  readonly isTest: boolean;
  readonly attachmentCount: number;
  readonly signatureStatus: string | null;
  readonly state: DeliveryState;
  readonly unread: boolean;
  /** Reason when "nicht lesbar" (a code, the kind, since schema 13), else null. */
  readonly unreadableReason: string | null;
  /** The reason's stable kind; null when readable or unknown (stored before schema 8 without one). */
  readonly unreadableKind: string | null;
  readonly legalHold: boolean;
  /** The office's file number for it (migration 14); null: none given. */
  readonly aktenzeichen: string | null;
  /** Wiedervorlage: the office's day it is due ("2026-12-10"); null: not flagged. */
  readonly followUpOn: string | null;
  /** Shared inbox (schema 17): who works on it now ("in Bearbeitung durch …"), as the audit log names them; null: nobody. */
  readonly claim?: { readonly by: string; readonly at: string; readonly mine: boolean } | null;
  /** Who marked it "übertragen" and when; null: not transferred (by: null for marks made before schema 17). */
  readonly transfer?: { readonly by: string | null; readonly at: string } | null;
}

export interface AttachmentInfo {
  readonly id: number;
  readonly position: number;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  /** Hex. */
  readonly sha256: string;
  /** The engine's coverage record (schema 9; null when the row has none). */
  readonly coverage: JsonValue | null;
}

export interface DeliveryRecord extends DeliveryListItem {
  readonly senderCertificate: Uint8Array | null;
  readonly addresseeCertificate: Uint8Array | null;
  readonly processCard: {
    readonly creation: string | null;
    readonly forwarding: string | null;
    readonly reception: string | null;
    readonly inspectionReport: JsonValue | null;
    /** The engine's Creation check as stored (versioned JSON), null when none was stored. */
    readonly creationCheck: JsonValue | null;
  };
  readonly signatureResult: JsonValue | null;
  readonly certificateResult: JsonValue | null;
  readonly content: { readonly size: number; readonly sha256: string; readonly contentType: string | null; readonly coverage: JsonValue | null };
  readonly attachments: readonly AttachmentInfo[];
  readonly times: {
    readonly fetchedAt: string;
    readonly readAt: string | null;
    readonly exportedAt: string | null;
    readonly transferredAt: string | null;
    readonly trashedAt: string | null;
  };
  /** Ids of the checklist sections ticked (the UI defines them). */
  readonly checklist: readonly string[];
  /** The office's note on it; null: none. */
  readonly note: string | null;
}

export type SortKey = 'eingang' | 'applicant' | 'benefit' | 'state' | 'followUp';

export interface ListQuery {
  /** Papierkorb: only trashed messages; otherwise trashed ones are left out. */
  readonly trash?: boolean;
  readonly unread?: boolean;
  readonly withAttachments?: boolean;
  readonly notTransferred?: boolean;
  readonly transferred?: boolean;
  /** Eingang from (inclusive) / to (exclusive). */
  readonly from?: TimeInput;
  readonly to?: TimeInput;
  /** true: only Testanträge; false: none of them. */
  readonly test?: boolean;
  /** true: only "nicht lesbar"; false: only readable ones. */
  readonly unreadable?: boolean;
  readonly legalHold?: boolean;
  /** true: only those flagged for a Wiedervorlage. */
  readonly followUp?: boolean;
  /** Shared inbox: "mine" — claimed by the person of the call; "unassigned" — claimed by nobody. */
  readonly view?: 'mine' | 'unassigned';
  /**
   * For grouping the list by Eingang day: for each of these moments, how many rows of the query have their Eingang
   * at or after it (`DeliveryPage.atOrAfter`). At most 12.
   */
  readonly countFrom?: readonly TimeInput[];
  /** Full-text search over applicant names, ids, subject and content text; every word must match as a prefix. */
  readonly search?: string;
  readonly sort?: SortKey;
  /** Default: descending for eingang, ascending otherwise. */
  readonly descending?: boolean;
  readonly offset?: number;
  /** Default 50, at most 1000. */
  readonly limit?: number;
}

export interface DeliveryPage {
  readonly items: readonly DeliveryListItem[];
  /** How many messages match the query in all. */
  readonly total: number;
  readonly offset: number;
  /** Per moment of `ListQuery.countFrom`, the rows with Eingang at or after it. */
  readonly atOrAfter?: readonly number[];
}

/** For the folder pane (UI.md): everything except "trash" counts messages outside the Papierkorb. */
export interface DeliveryCounts {
  readonly inbox: number;
  readonly unread: number;
  readonly notTransferred: number;
  readonly transferred: number;
  readonly unreadable: number;
  readonly test: number;
  readonly trash: number;
  /** Flagged for a Wiedervorlage (outside the Papierkorb). */
  readonly followUp: number;
  /** Shared inbox (outside the Papierkorb): claimed by the person of the call, and by nobody. */
  readonly mine?: number;
  readonly unassigned?: number;
}

export interface StoreSettings {
  /** Days after "übertragen" until a message is deleted (default 30). */
  readonly retentionTransferredDays: number;
  /** Days a message stays in the Papierkorb (default 30). */
  readonly retentionTrashDays: number;
}

export interface RetentionCandidate {
  readonly id: number;
  readonly messageId: string;
  readonly reason: 'transferred' | 'trash';
  /** When the period ended. */
  readonly dueAt: string;
}

/** A delivery named by store id or by OSCI message id. */
export type DeliveryRef = number | { readonly messageId: string };

/**
 * A change of a personal account of `postfach serve` for the audit log (the person who made it is the call's audit
 * actor): `at` when it was made, `id` its id in the account file. Staff account names only, never an applicant's.
 */
export interface AccountAuditChange {
  readonly id: string;
  readonly at: string;
  readonly event: 'created' | 'disabled' | 'enabled' | 'password-set' | 'role-changed' | 'locked' | 'signed-in' | 'sign-in-failed';
  /** Absent only for a failed sign-in under a name no account has. */
  readonly account?: string | undefined;
  readonly role?: string | undefined;
  readonly reason?: 'wrong-password' | 'unknown-account' | 'locked' | 'disabled' | undefined;
}
