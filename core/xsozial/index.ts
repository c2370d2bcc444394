/** core/xsozial: reading XSozial-basis applications and any other XÖV/XML message into the shared view model. */
export {
  readDelivery,
  readStoreFacts,
  storeFactsOf,
  searchTextOf,
  summarize,
  openDocument,
  documentSource,
  readDocumentBytes,
  type ReadOptions,
  type StoreFacts,
} from './read-delivery.js';
export type { DeliveryView, DeliverySummary, DeliveryKind, DocumentView, DocumentLocation, SummaryCard, CardSection, Field, TreeNode, BenefitSummary } from './view.js';
export { TEST_BANNER, sectionAsText } from './view.js';
export type { DisplayValue, ValueFlag, ValueKind } from './values.js';
export { ibanIsValid, groupIban } from './values.js';
export type { Label, XsdLabels } from './labels.js';
export { humanise } from './labels.js';
export { bytesSource, fileSource, toByteSource, type XmlSource } from './source.js';
export { DEFAULT_LIMITS, type XmlLimits } from './xml-stream.js';
export { loadXsdBundle, validateWithXsd, MAX_VALIDATION_BYTES, type XsdBundle, type ValidationResult, type ValidationIssue } from './xsd-bundle.js';
export { deliveryViewSchema, deliverySummarySchema, documentViewSchema } from './view-schema.js';
