/**
 * zod schemas of the view model (view.ts), for the typed contract (core/api), strict and bounded like its other
 * schemas: a DeliveryView or DeliverySummary
 * crossing IPC or the loopback bridge can be checked at run time. Kept beside view.ts; the test
 * tests/xsozial/view-schema.test.ts keeps them in step with what readDelivery produces.
 */
import { z } from 'zod';
import { personNameSchema } from '../api/contract/names.js';

// bounded like every contract schema: the reader's own limits (1 MiB text nodes, at most 200 000 elements) are the bounds
const text = z.string().max(1024 * 1024);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(500_000);

export const labelSchema = z.strictObject({ de: text, en: text });

export const valueFlagSchema = z.strictObject({
  kind: z.enum(['iban-invalid', 'mime-mismatch', 'document-invalid']),
  de: text,
  en: text,
});

export const displayValueSchema = z.strictObject({
  kind: z.enum(['text', 'date', 'datetime', 'boolean', 'amount', 'iban', 'code', 'reference', 'empty', 'document', 'address']),
  display: text,
  raw: text,
  flag: valueFlagSchema.optional(),
  code: z
    .object({ code: text, listURI: text.optional(), listVersionID: text.optional(), text: text.optional() })
    .optional(),
  fullLength: z.number().int().nonnegative().optional(),
  note: z.strictObject({ de: text, en: text }).optional(),
});

export const fieldSchema = z.strictObject({ id: text, label: labelSchema, value: displayValueSchema, covers: list(text).optional(), technical: z.boolean().optional(), inTitle: z.boolean().optional() });

export const summaryCardSchema = z.strictObject({
  id: text,
  kind: z.enum(['person', 'third-party', 'group', 'documents', 'technical', 'message']).optional(),
  title: labelSchema,
  sections: list(z.strictObject({ id: text, title: labelSchema, fields: list(fieldSchema), role: z.enum(['summary', 'all']).optional() })),
  collapsed: z.boolean().optional(),
});

/**
 * The id by which a tree node's composed block (e.g. an address written as lines) is found again, e.g. when the UI
 * fetches its whole value (`messages.value`, where "tree").
 */
export const treeBlockId = (nodeId: string): string => `${nodeId}#block`;

export interface TreeNodeShape {
  id: string;
  name: string;
  label: z.infer<typeof labelSchema>;
  value?: z.infer<typeof displayValueSchema> | undefined;
  block?: z.infer<typeof displayValueSchema> | undefined;
  attributes: Array<z.infer<typeof fieldSchema>>;
  children: TreeNodeShape[];
}

export const treeNodeSchema: z.ZodType<TreeNodeShape> = z.lazy(() =>
  z.strictObject({
    id: text,
    name: text,
    label: labelSchema,
    value: displayValueSchema.optional(),
    block: displayValueSchema.optional(),
    attributes: list(fieldSchema),
    children: list(treeNodeSchema),
  }),
);

export const documentViewSchema = z.strictObject({
  id: text,
  ordinal: z.number().int().nonnegative(),
  name: text,
  fileName: text.optional(),
  mimeType: text.optional(),
  detectedMimeType: text.optional(),
  mimeMismatch: z.boolean(),
  size: z.number().int().nonnegative(),
  sha256: text,
  documentType: displayValueSchema.optional(),
  isApplicationForm: z.boolean(),
  treeId: text,
  problem: valueFlagSchema.optional(),
  location: z.union([
    z.strictObject({ kind: z.literal('range'), start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
    z.strictObject({ kind: z.literal('reparse') }),
  ]),
});

const kindSchema = z.enum(['xsozial-application', 'generic-xoev', 'generic-xml']);
export const benefitSchema = z.strictObject({ code: text.optional(), text: text.optional(), display: text });

export const deliveryViewSchema = z.strictObject({
  kind: kindSchema,
  namespace: text,
  rootName: text,
  standard: text.optional(),
  version: text.optional(),
  messageType: text.optional(),
  product: text.optional(),
  test: z.boolean(),
  messageId: text.optional(),
  createdAt: displayValueSchema.optional(),
  benefit: benefitSchema.optional(),
  applicationDate: displayValueSchema.optional(),
  applicants: list(text),
  applicantNames: list(personNameSchema),
  cards: list(summaryCardSchema),
  tree: treeNodeSchema,
  documents: list(documentViewSchema),
  sourceSize: z.number().int().nonnegative(),
});

export const deliverySummarySchema = z.strictObject({
  kind: kindSchema,
  applicants: list(text),
  applicantNames: list(personNameSchema),
  benefit: benefitSchema.optional(),
  applicationDate: text.optional(),
  applicationDateDisplay: text.optional(),
  test: z.boolean(),
  messageId: text.optional(),
  product: text.optional(),
  standard: text.optional(),
  version: text.optional(),
});
