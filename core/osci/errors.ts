/**
 * The error kinds of the protocol core. Every expected failure of core/osci is a PostfachError with one of these
 * kinds (stable tokens, used by `inspect --json`, the fetch engine and the UI):
 *
 * | kind | meaning |
 * |---|---|
 * | `malformed` | not a readable OSCI message: broken MIME (missing boundary, truncated, oversized header lines), broken XML, missing or misplaced elements |
 * | `hostile-xml` | XML that is refused for safety: DOCTYPE/entities, too deep or too large, duplicate Id values (signature wrapping) |
 * | `unsupported-algorithm` | an algorithm URI outside PROTOCOL.md §7 |
 * | `no-matching-key` | none of the given keys is the one the message was encrypted for |
 * | `transport-decryption` | the transport layer (outer envelope) could not be decrypted: wrong key data, GCM tag mismatch, bad padding |
 * | `content-decryption` | an encrypted content container or attachment could not be decrypted |
 * | `signature-missing` | a message that must be signed carries no signature |
 * | `signature-invalid` | the signature value does not verify |
 * | `digest-mismatch` | a signed part was changed (a reference digest does not match) |
 * | `signature-incomplete` | a part that must be signed is not covered by the signature (unsigned header block, attachment) |
 * | `signer-untrusted` | the signature is valid, but the signer is not the configured (pinned) certificate and does not chain to a configured CA |
 * | `fault` | the intermediary answered with a SOAP fault (osciCode = its code) |
 * | `osci-error` | the response carries an order-level error code 9xxx in its Feedback (osciCode) |
 * | `dialog-mismatch` | ConversationId, SequenceNumber or Response of a response do not match the request |
 * | `dialog-closed` | the dialog refuses to send: a previous response could not be decrypted or verified, or it has ended |
 */
import { PostfachError, type UserText } from '../errors.js';

export type OsciErrorKind =
  | 'malformed'
  | 'hostile-xml'
  | 'unsupported-algorithm'
  | 'no-matching-key'
  | 'transport-decryption'
  | 'content-decryption'
  | 'signature-missing'
  | 'signature-invalid'
  | 'digest-mismatch'
  | 'signature-incomplete'
  | 'signer-untrusted'
  | 'fault'
  | 'osci-error'
  | 'dialog-mismatch'
  | 'dialog-closed';

export const OSCI_ERROR_KINDS: readonly OsciErrorKind[] = [
  'malformed',
  'hostile-xml',
  'unsupported-algorithm',
  'no-matching-key',
  'transport-decryption',
  'content-decryption',
  'signature-missing',
  'signature-invalid',
  'digest-mismatch',
  'signature-incomplete',
  'signer-untrusted',
  'fault',
  'osci-error',
  'dialog-mismatch',
  'dialog-closed',
];

const texts: Record<OsciErrorKind, UserText> = {
  malformed: {
    de: 'Die Nachricht ist beschädigt oder keine gültige OSCI-Nachricht.',
    en: 'The message is damaged or not a valid OSCI message.',
  },
  'hostile-xml': {
    de: 'Die Nachricht wurde aus Sicherheitsgründen abgewiesen (unzulässiger XML-Aufbau).',
    en: 'The message was refused for security reasons (inadmissible XML structure).',
  },
  'unsupported-algorithm': {
    de: 'Die Nachricht verwendet ein Verschlüsselungs- oder Signaturverfahren, das nicht unterstützt wird.',
    en: 'The message uses an encryption or signature method that is not supported.',
  },
  'no-matching-key': {
    de: 'Die Nachricht ist nicht für den eingesetzten Schlüssel verschlüsselt.',
    en: 'The message is not encrypted for the key in use.',
  },
  'transport-decryption': {
    de: 'Die Nachricht konnte nicht entschlüsselt werden (Transportverschlüsselung).',
    en: 'The message could not be decrypted (transport encryption).',
  },
  'content-decryption': {
    de: 'Ein Inhalt der Nachricht konnte nicht entschlüsselt werden.',
    en: 'A content of the message could not be decrypted.',
  },
  'signature-missing': {
    de: 'Die Nachricht ist nicht signiert, obwohl eine Signatur verlangt ist.',
    en: 'The message is not signed although a signature is required.',
  },
  'signature-invalid': {
    de: 'Die Signatur der Nachricht ist ungültig.',
    en: 'The signature of the message is invalid.',
  },
  'digest-mismatch': {
    de: 'Die Nachricht wurde nach dem Signieren verändert (Prüfsumme stimmt nicht).',
    en: 'The message was changed after signing (a digest does not match).',
  },
  'signature-incomplete': {
    de: 'Die Signatur deckt nicht alle Teile der Nachricht ab.',
    en: 'The signature does not cover all parts of the message.',
  },
  'signer-untrusted': {
    de: 'Die Nachricht ist von einer Stelle signiert, der nicht vertraut wird.',
    en: 'The message is signed by a party that is not trusted.',
  },
  fault: {
    de: 'Der Intermediär hat den Auftrag mit einer Fehlermeldung abgelehnt.',
    en: 'The intermediary refused the request with an error message.',
  },
  'osci-error': {
    de: 'Der Intermediär meldet einen Fehler bei der Ausführung des Auftrags.',
    en: 'The intermediary reports an error executing the request.',
  },
  'dialog-mismatch': {
    de: 'Die Antwort des Intermediärs passt nicht zum laufenden Dialog.',
    en: 'The intermediary’s response does not match the current dialog.',
  },
  'dialog-closed': {
    de: 'Der Dialog mit dem Intermediär wurde abgebrochen; es wird nichts mehr gesendet.',
    en: 'The dialog with the intermediary was abandoned; nothing more is sent.',
  },
};

export function osciError(kind: OsciErrorKind, detail: string, options: { osciCode?: string; cause?: unknown; text?: UserText } = {}): PostfachError {
  return new PostfachError(kind, options.text ?? texts[kind], detail, {
    ...(options.osciCode === undefined ? {} : { osciCode: options.osciCode }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

export function isOsciErrorKind(kind: string): kind is OsciErrorKind {
  return (OSCI_ERROR_KINDS as readonly string[]).includes(kind);
}
