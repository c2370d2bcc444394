/**
 * The view model of a delivered XML content, shared by the UI and the exports, declared once: as zod schemas for
 * the typed contract (core/api), strict and bounded like its other schemas, with the types derived from them
 * (z.infer) — so what crosses IPC or the loopback bridge is checked at run time against the same declaration the
 * reader (core/xsozial) is typed by. Plain JSON (no class instances, no binary data). Runs anywhere.
 */
import { z } from 'zod';
import { personNameSchema } from './person-names.js';

// the id of a tree node's composed block (tree-block-id.ts, without zod for the renderer)
export { treeBlockId } from './tree-block-id.js';

/**
 * The schemas are built at their first use, not when a thread loads the contract (issue 14, app start: 8–11 ms of
 * construction in every thread that imports it — the bridge's, the service's, the fetch worker's, the CLI's — for a
 * view that is checked only when a message is opened). Each exported schema is zod's deferred schema over the one
 * set built by this function, so every check is made by the same schema as before, built once.
 */
function buildViewSchemas() {
  // bounded like every contract schema: the reader's own limits (1 MiB text nodes, at most 200 000 elements) are the bounds
  const text = z.string().max(1024 * 1024);
  const list = <T extends z.ZodType>(item: T) => z.array(item).max(500_000);

  /** German and English words of an element or attribute (core/xsozial/labels.ts). */
  const labelSchema = z.strictObject({ de: text, en: text });

  /** Something about a value the caseworker has to know (an invalid IBAN, a document whose type does not match). */
  const valueFlagSchema = z.strictObject({
    kind: z.enum(['iban-invalid', 'mime-mismatch', 'document-invalid']),
    de: text,
    en: text,
  });

  const valueKindSchema = z.enum(['text', 'date', 'datetime', 'boolean', 'amount', 'iban', 'code', 'reference', 'empty', 'document', 'address']);

  /** One value as shown (core/xsozial/values.ts), with the value as written beside it for copying. */
  const displayValueSchema = z.strictObject({
    kind: valueKindSchema,
    /** German display text. */
    display: text,
    /** The value as written (trimmed), for copying. */
    raw: text,
    flag: valueFlagSchema.optional(),
    /** For code values: the code, the list it belongs to and the text where known. */
    code: z.object({ code: text, listURI: text.optional(), listVersionID: text.optional(), text: text.optional() }).optional(),
    /**
     * Set where the value was shortened on its way to the UI (core/mailbox/bounded-view.ts): the length of its raw
     * form. The full value comes with `messages.value`. Never set by the reader.
     */
    fullLength: z.number().int().nonnegative().optional(),
    /** A remark shown beside the value (e.g. which list version a code text comes from). */
    note: z.strictObject({ de: text, en: text }).optional(),
  });

  /** One labelled value; `id` is the stable path of the element in the tree (for copy buttons and checklists). */
  const fieldSchema = z.strictObject({
    id: text,
    label: labelSchema,
    value: displayValueSchema,
    /** Ids of further tree values this field also shows (a name written as text beside its reference). */
    covers: list(text).optional(),
    /** A technical id (personID, Nachrichten-ID, …): left out of "Block kopieren" unless asked for. */
    technical: z.boolean().optional(),
    /**
     * A part of the name the card's title already shows ("Antragsteller/in: Müller, Mia"): not repeated as a row on
     * screen, but copied with the block (the case system wants family and given name in fields of their own).
     */
    inTitle: z.boolean().optional(),
  });

  const cardSectionSchema = z.strictObject({
    id: text,
    title: labelSchema,
    fields: list(fieldSchema),
    /**
     * summary: what the caseworker reads and copies first · all: every further value of the block ("Alle Angaben",
     * shown on request). Absent: an ordinary section.
     */
    role: z.enum(['summary', 'all']).optional(),
  });

  /** What a card is about: a person's block, the case-level groups, the documents, the technical facts. */
  const cardKindSchema = z.enum(['person', 'third-party', 'group', 'documents', 'technical', 'message']);

  const summaryCardSchema = z.strictObject({
    id: text,
    kind: cardKindSchema.optional(),
    title: labelSchema,
    sections: list(cardSectionSchema),
    /** Shown closed at first (the technical facts). */
    collapsed: z.boolean().optional(),
  });

  /** One element of the content as a tree; its children are nodes of the same kind. */
  const treeNodeSchema = z.strictObject({
    id: text,
    /** Element name as written (with prefix). */
    name: text,
    label: labelSchema,
    /** Present for leaf elements, code elements and inline documents. */
    value: displayValueSchema.optional(),
    /** What a group element says as one block (an address: "Straße Nr., PLZ Ort"), beside its values. */
    block: displayValueSchema.optional(),
    attributes: list(fieldSchema),
    // a getter: zod 4's way to a recursive schema whose type is still inferred
    get children(): z.ZodArray<typeof treeNodeSchema> {
      return list(treeNodeSchema);
    },
  });

  /** Where the base64 text of an inline document lies in the source: a byte range, or (after entities/CDATA) only its position. */
  const documentLocationSchema = z.union([
    z.strictObject({ kind: z.literal('range'), start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
    z.strictObject({ kind: z.literal('reparse') }),
  ]);

  const documentViewSchema = z.strictObject({
    id: text,
    /** Position among the inline contents of the message (0-based, document order). */
    ordinal: z.number().int().nonnegative(),
    name: text,
    fileName: text.optional(),
    /** As declared in the message. */
    mimeType: text.optional(),
    /** From the first bytes of the content. */
    detectedMimeType: text.optional(),
    mimeMismatch: z.boolean(),
    /** Decoded size in bytes. */
    size: z.number().int().nonnegative(),
    sha256: text,
    documentType: displayValueSchema.optional(),
    /** dokumentTyp 1010: the application form rendered by the platform. */
    isApplicationForm: z.boolean(),
    /** Tree node of the content element. */
    treeId: text,
    problem: valueFlagSchema.optional(),
    location: documentLocationSchema,
  });

  const deliveryKindSchema = z.enum(['xsozial-application', 'generic-xoev', 'generic-xml']);

  const benefitSchema = z.strictObject({
    code: text.optional(),
    text: text.optional(),
    /** "Text (Code)", the text alone, or the bare code. */
    display: text,
  });

  const deliveryViewSchema = z.strictObject({
    kind: deliveryKindSchema,
    namespace: text,
    rootName: text,
    standard: text.optional(),
    version: text.optional(),
    /** Message type code (nachrichtentyp, or the number at the end of the root name). */
    messageType: text.optional(),
    /** The root's @produkt: the benefit's full name. */
    product: text.optional(),
    /** A test message (root @test "true" or "1"): never to be treated as a real application. */
    test: z.boolean(),
    messageId: text.optional(),
    createdAt: displayValueSchema.optional(),
    benefit: benefitSchema.optional(),
    applicationDate: displayValueSchema.optional(),
    /** Names of the applicants (persons with antragsteller = true), written as the setting says. */
    applicants: list(text),
    /** The same names in their parts. */
    applicantNames: list(personNameSchema),
    cards: list(summaryCardSchema),
    tree: treeNodeSchema,
    documents: list(documentViewSchema),
    /** Size of the XML in bytes. */
    sourceSize: z.number().int().nonnegative(),
  });

  /** What the mailbox list needs, read without going through the documents. */
  const deliverySummarySchema = z.strictObject({
    kind: deliveryKindSchema,
    /** "Vorname Nachname" (kept for the full-text search). */
    applicants: list(text),
    /** The same names in their parts (the list writes and sorts them by family name). */
    applicantNames: list(personNameSchema),
    benefit: benefitSchema.optional(),
    /** As written (xs:date). */
    applicationDate: text.optional(),
    applicationDateDisplay: text.optional(),
    test: z.boolean(),
    messageId: text.optional(),
    product: text.optional(),
    standard: text.optional(),
    version: text.optional(),
  });
  return {
    labelSchema,
    valueFlagSchema,
    valueKindSchema,
    displayValueSchema,
    fieldSchema,
    cardSectionSchema,
    cardKindSchema,
    summaryCardSchema,
    treeNodeSchema,
    documentLocationSchema,
    documentViewSchema,
    deliveryKindSchema,
    benefitSchema,
    deliveryViewSchema,
    deliverySummarySchema,
  };
}

let built: ReturnType<typeof buildViewSchemas> | undefined;
const schemas = (): ReturnType<typeof buildViewSchemas> => (built ??= buildViewSchemas());

export const labelSchema = z.lazy(() => schemas().labelSchema);
export const valueFlagSchema = z.lazy(() => schemas().valueFlagSchema);
export const valueKindSchema = z.lazy(() => schemas().valueKindSchema);
export const displayValueSchema = z.lazy(() => schemas().displayValueSchema);
export const fieldSchema = z.lazy(() => schemas().fieldSchema);
export const cardSectionSchema = z.lazy(() => schemas().cardSectionSchema);
export const cardKindSchema = z.lazy(() => schemas().cardKindSchema);
export const summaryCardSchema = z.lazy(() => schemas().summaryCardSchema);
export const treeNodeSchema = z.lazy(() => schemas().treeNodeSchema);
export const documentLocationSchema = z.lazy(() => schemas().documentLocationSchema);
export const documentViewSchema = z.lazy(() => schemas().documentViewSchema);
export const deliveryKindSchema = z.lazy(() => schemas().deliveryKindSchema);
export const benefitSchema = z.lazy(() => schemas().benefitSchema);
export const deliveryViewSchema = z.lazy(() => schemas().deliveryViewSchema);
export const deliverySummarySchema = z.lazy(() => schemas().deliverySummarySchema);

export type Label = z.infer<typeof labelSchema>;
export type ValueFlag = z.infer<typeof valueFlagSchema>;
export type ValueKind = z.infer<typeof valueKindSchema>;
export type DisplayValue = z.infer<typeof displayValueSchema>;
export type Field = z.infer<typeof fieldSchema>;
export type CardSection = z.infer<typeof cardSectionSchema>;
export type CardKind = z.infer<typeof cardKindSchema>;
export type SummaryCard = z.infer<typeof summaryCardSchema>;
export type TreeNode = z.infer<typeof treeNodeSchema>;
export type DocumentLocation = z.infer<typeof documentLocationSchema>;
export type DocumentView = z.infer<typeof documentViewSchema>;
export type DeliveryKind = z.infer<typeof deliveryKindSchema>;
export type BenefitSummary = z.infer<typeof benefitSchema>;
export type DeliveryView = z.infer<typeof deliveryViewSchema>;
export type DeliverySummary = z.infer<typeof deliverySummarySchema>;
