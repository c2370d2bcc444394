/**
 * Public API of the OSCI-Transport 1.2 core (import from here in intermediary/, core/mailbox, cli/):
 *
 * Receiving
 *  - decodeMessage(body, {keys, anchors, requireEncryption}) → DecodedMessage {transport, inner, message, signature, release()}
 *  - decodeContent(message, {keys, authorAnchors, scope}) → ContentResult (containers, contents, attachments, author signatures)
 *  - inspectMessage(body, {keys, trustedSigners}) → InspectReport (the `inspect --json` object)
 * Sending
 *  - buildRequest(spec) / buildResponse(spec) → BuiltMessage {envelope, mime}; buildFault(code, text)
 *  - encryptTransport(mime, recipientCertificate, options) → HTTP body (ByteSource of exact size)
 *  - buildContainer / encryptContainer / contentPackageXml (content layer, send side); contentPackageXmlOf(message) / contentPackageSource(message) (streamed)
 * Dialog
 *  - ExplicitDialog.open(options) → fetchDelivery / fetchProcessCards / partialFetchDelivery / confirmPersisted / exit
 *  - ImplicitSender (getMessageId, storeDelivery)
 * Rules and tables
 *  - checkResponseControlBlock / checkRequestControlBlock / controlBlockViolations; feedbackCode / feedbackEntry
 *  - OSCI_ERROR_KINDS (every PostfachError kind thrown here)
 */
export { decodeMessage, type DecodedMessage, type DecodeOptions } from './decode.js';
export { decodeContent, type ContainerResult, type ContentItem, type ContentResult, type ContentSignatureInfo } from './content/decode.js';
export { buildContainer, contentPackageXml, encryptContainer, type BuiltContainer, type ContentInput } from './content/build.js';
export { inspectMessage, type InspectReport } from './inspect.js';
export {
  buildFault,
  buildRequest,
  buildResponse,
  encodeMessageId,
  newChallenge,
  type AttachmentInput,
  type BuiltMessage,
  type RequestSpec,
  type ResponseSpec,
  type SelectionRuleInput,
} from './messages/build.js';
export { certificateElementId, type CertificateInput } from './messages/certificates.js';
export { contentPackageSource, contentPackageXmlOf } from './messages/content-package.js';
export { checkRequestControlBlock, checkResponseControlBlock, controlBlockViolations, EXPLICIT_DIALOG_ONLY, type SupplierDialogState } from './messages/control-block.js';
export { FEEDBACK_CODES, feedbackCode, feedbackEntry, feedbackText, isErrorCode } from './messages/feedback-codes.js';
export type * from './messages/model.js';
export { encryptTransport, type TransportAlgorithms, type TransportEncryptionOptions } from './transport-encryption.js';
export { verifyMessageSignature, requireTrustedSignature, type MessageSignatureResult } from './signature/message-signature.js';
export { evaluateTrust, type TrustAnchors } from './signature/trust.js';
export { subjectName, issuerName, serialDecimal } from './signature/cert-names.js';
export { ExplicitDialog, ImplicitSender, type ClientOptions, type FetchedDelivery, type PostFunction } from './client/dialog.js';
export { OSCI_ERROR_KINDS, type OsciErrorKind } from './errors.js';
export { DEFAULTS, DIGEST, KEY_TRANSPORT, MGF, SIG, SYM } from './crypto/algorithms.js';
