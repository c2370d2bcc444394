/**
 * The local OSCI 1.2 intermediary and the Sozialplattform-like sender (Übungsmodus, tests, demo):
 *
 *  - startIntermediary({port, host, dataDir, keys, options}) → {url, port, close()}   (server.ts)
 *  - loadIntermediaryKeys({pkiDir | cipherP12, signatureP12, password, caFiles}) → IntermediaryKeys   (keys.ts)
 *  - sendApplications(options) → SentApplication[]   (sender/send.ts); algorithm variants by name:
 *    resolveSendAlgorithms({cipher, ivLength, keyTransport, …}) → SendAlgorithms   (sender/algorithms.ts)
 *  - issueMessageId / deliveredUnder: an id to record before sending under it, a delivery looked up by it
 *    (sender/sender-dialogs.ts)
 *  - the synthetic application generator: ./generator/index.js
 */
export { startIntermediary, OSCI_PATH, DEFAULT_MAX_REQUEST_BYTES, type IntermediaryOptions, type RunningIntermediary, type StartIntermediaryInput } from './server.js';
export { DEFAULT_CHUNK_SIZE, type AnswerOptions, type HandedOutDelivery, type IntermediaryKeys, type SupplierOptions } from './supplier.js';
export { DEFAULT_DIALOG_TIMEOUT_MS } from './dialogs.js';
export { loadIntermediaryKeys, type IntermediaryKeyFiles } from './keys.js';
export { sendApplications, loadSenderSetup, type SendOptions, type SentApplication, type SenderSetup } from './sender/send.js';
export { deliveredUnder, issueMessageId } from './sender/sender-dialogs.js';
export { resolveSendAlgorithms, DEFAULT_SEND_ALGORITHMS, type SendAlgorithmNames, type SendAlgorithms } from './sender/algorithms.js';
