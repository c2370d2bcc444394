/**
 * The view model of a delivered XML content, shared by the UI and the exports. Plain JSON (no class instances,
 * no binary data): it can cross the IPC boundary and be stored.
 */
import type { PersonName } from '../api/contract/names.js';
import type { Label } from './labels.js';
import type { DisplayValue, ValueFlag } from './values.js';

export type DeliveryKind = 'xsozial-application' | 'generic-xoev' | 'generic-xml';

/** One labelled value; `id` is the stable path of the element in the tree (for copy buttons and checklists). */
export interface Field {
  readonly id: string;
  readonly label: Label;
  readonly value: DisplayValue;
  /** Ids of further tree values this field also shows (a name written as text beside its reference). */
  readonly covers?: readonly string[];
  /** A technical id (personID, Nachrichten-ID, …): left out of "Block kopieren" unless asked for. */
  readonly technical?: boolean;
  /**
   * A part of the name the card's title already shows ("Antragsteller/in: Müller, Mia"): not repeated as a row on
   * screen, but copied with the block (the case system wants family and given name in fields of their own).
   */
  readonly inTitle?: boolean;
}

export interface CardSection {
  readonly id: string;
  readonly title: Label;
  readonly fields: readonly Field[];
  /**
   * summary: what the caseworker reads and copies first · all: every further value of the block ("Alle Angaben",
   * shown on request). Absent: an ordinary section.
   */
  readonly role?: 'summary' | 'all';
}

/** What a card is about: a person's block, the case-level groups, the documents, the technical facts. */
export type CardKind = 'person' | 'third-party' | 'group' | 'documents' | 'technical' | 'message';

export interface SummaryCard {
  readonly id: string;
  readonly kind?: CardKind;
  readonly title: Label;
  readonly sections: readonly CardSection[];
  /** Shown closed at first (the technical facts). */
  readonly collapsed?: boolean;
}

export interface TreeNode {
  readonly id: string;
  /** Element name as written (with prefix). */
  readonly name: string;
  readonly label: Label;
  /** Present for leaf elements, code elements and inline documents. */
  readonly value?: DisplayValue;
  /** What a group element says as one block (an address: "Straße Nr., PLZ Ort"), beside its values. */
  readonly block?: DisplayValue;
  readonly attributes: readonly Field[];
  readonly children: readonly TreeNode[];
}

/** Where the base64 text of an inline document lies in the source: a byte range, or (after entities/CDATA) only its position. */
export type DocumentLocation =
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'reparse' };

export interface DocumentView {
  readonly id: string;
  /** Position among the inline contents of the message (0-based, document order). */
  readonly ordinal: number;
  readonly name: string;
  readonly fileName?: string;
  /** As declared in the message. */
  readonly mimeType?: string;
  /** From the first bytes of the content. */
  readonly detectedMimeType?: string;
  readonly mimeMismatch: boolean;
  /** Decoded size in bytes. */
  readonly size: number;
  readonly sha256: string;
  readonly documentType?: DisplayValue;
  /** dokumentTyp 1010: the application form rendered by the platform. */
  readonly isApplicationForm: boolean;
  /** Tree node of the content element. */
  readonly treeId: string;
  readonly problem?: ValueFlag;
  readonly location: DocumentLocation;
}

export interface DeliveryView {
  readonly kind: DeliveryKind;
  readonly namespace: string;
  readonly rootName: string;
  readonly standard?: string;
  readonly version?: string;
  /** Message type code (nachrichtentyp, or the number at the end of the root name). */
  readonly messageType?: string;
  /** The root's @produkt: the benefit's full name. */
  readonly product?: string;
  /** A test message (root @test "true" or "1"): never to be treated as a real application. */
  readonly test: boolean;
  readonly messageId?: string;
  readonly createdAt?: DisplayValue;
  readonly benefit?: BenefitSummary;
  readonly applicationDate?: DisplayValue;
  /** Names of the applicants (persons with antragsteller = true), written as the setting says. */
  readonly applicants: readonly string[];
  /** The same names in their parts. */
  readonly applicantNames: readonly PersonName[];
  readonly cards: readonly SummaryCard[];
  readonly tree: TreeNode;
  readonly documents: readonly DocumentView[];
  /** Size of the XML in bytes. */
  readonly sourceSize: number;
}

export interface BenefitSummary {
  readonly code?: string;
  readonly text?: string;
  /** "Text (Code)", the text alone, or the bare code. */
  readonly display: string;
}

/** What the mailbox list needs, read without going through the documents. */
export interface DeliverySummary {
  readonly kind: DeliveryKind;
  /** "Vorname Nachname" (kept for the full-text search). */
  readonly applicants: readonly string[];
  /** The same names in their parts (the list writes and sorts them by family name). */
  readonly applicantNames: readonly PersonName[];
  readonly benefit?: BenefitSummary;
  /** As written (xs:date). */
  readonly applicationDate?: string;
  readonly applicationDateDisplay?: string;
  readonly test: boolean;
  readonly messageId?: string;
  readonly product?: string;
  readonly standard?: string;
  readonly version?: string;
}

export const TEST_BANNER: Label = {
  de: 'TESTANTRAG – kein echter Antrag, nicht bearbeiten',
  en: 'TEST APPLICATION – not a real application, do not process',
};

/** A card section as "label<TAB>value" lines, for "Block kopieren" (the raw value where the display adds words). */
export function sectionAsText(section: CardSection): string {
  return section.fields.map((f) => `${f.label.de}\t${f.value.kind === 'date' || f.value.kind === 'boolean' || f.value.kind === 'code' || f.value.kind === 'iban' || f.value.kind === 'amount' ? f.value.display : f.value.raw}`).join('\n');
}
