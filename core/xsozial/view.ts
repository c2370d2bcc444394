/**
 * The view model of a delivered XML content, shared by the UI and the exports: its types (declared once, as zod
 * schemas in view-schema.ts), the test banner and a section as text.
 */
import type { CardSection, Label } from './view-schema.js';

// the types are those of the schemas (view-schema.ts, zod first): declared once, for the reader and the contract
export type {
  BenefitSummary,
  CardKind,
  CardSection,
  DeliveryKind,
  DeliverySummary,
  DeliveryView,
  DocumentLocation,
  DocumentView,
  Field,
  SummaryCard,
  TreeNode,
} from './view-schema.js';

export const TEST_BANNER: Label = {
  de: 'TESTANTRAG – kein echter Antrag, nicht bearbeiten',
  en: 'TEST APPLICATION – not a real application, do not process',
};

/** A card section as "label<TAB>value" lines, for "Block kopieren" (the raw value where the display adds words). */
export function sectionAsText(section: CardSection): string {
  return section.fields
    .map(
      (f) =>
        `${f.label.de}\t${f.value.kind === 'date' || f.value.kind === 'boolean' || f.value.kind === 'code' || f.value.kind === 'iban' || f.value.kind === 'amount' ? f.value.display : f.value.raw}`,
    )
    .join('\n');
}
