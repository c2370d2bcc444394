/**
 * "nicht lesbar": why a delivery's content could not be decrypted, verified or read, by the stable kind the fetch
 * engine stores (the error kind). The store keeps the kind only (store migration 13); the words are said from it
 * where shown. Plain words, no personal data.
 * No Node and no DOM here (the renderer imports this file).
 * Every kind of the registry (core/error-kinds.ts) is listed, so a new kind does not compile until someone decided
 * its words.
 */
import { canonicalKind, type ErrorKind } from '../../error-kinds.js';

export interface UnreadableWords {
  readonly de: string;
  readonly en: string;
}

/** The general words, for a kind that names no particular reason a content cannot be read. */
const OTHER: UnreadableWords = { de: 'Inhalt kann nicht gelesen werden', en: 'the content cannot be read' };

const REASONS = {
  'no-matching-key': { de: 'Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt', en: "the content is not encrypted for this mailbox's certificate" },
  'content-decryption': { de: 'Inhalt konnte nicht entschlüsselt werden', en: 'the content could not be decrypted' },
  'signature-invalid': { de: 'Signatur des Absenders ist ungültig', en: "the sender's signature is invalid" },
  'digest-mismatch': { de: 'Inhalt wurde nach der Signatur des Absenders verändert', en: "the content was changed after the sender's signature" },
  'signature-incomplete': { de: 'Signatur des Absenders deckt nicht den ganzen Inhalt ab', en: "the sender's signature does not cover the whole content" },
  'unsupported-algorithm': { de: 'Inhalt verwendet ein nicht unterstütztes Verfahren', en: 'the content uses an unsupported algorithm' },
  'hostile-xml': { de: 'unzulässiger XML-Aufbau, aus Sicherheitsgründen nicht gelesen', en: 'inadmissible XML structure, not read for security reasons' },
  'xml-malformed': { de: 'Inhalt ist kein gültiges XML', en: 'the content is not valid XML' },
  'xml-encoding': { de: 'Inhalt ist nicht korrekt als UTF-8 kodiert', en: 'the content is not correctly encoded as UTF-8' },
  'xml-limit': { de: 'Inhalt überschreitet eine Sicherheitsgrenze', en: 'the content exceeds a safety limit' },
  'xml-empty': { de: 'Inhalt ist leer', en: 'the content is empty' },
  'no-content': { de: 'Zustellung enthält keinen Inhalt', en: 'the delivery holds no content' },
  'content-ambiguous': {
    de: 'Zustellung enthält mehrere verschiedene Anträge, keiner ist eindeutig der signierte',
    en: 'the delivery holds several different applications, none is clearly the signed one',
  },
  malformed: { de: 'Inhaltsdaten sind beschädigt', en: 'the content data is damaged' },
  // the general words fit these
  'codelist-invalid': OTHER,
  'codelist-unreadable': OTHER,
  'dialog-closed': OTHER,
  'dialog-mismatch': OTHER,
  fault: OTHER,
  'osci-error': OTHER,
  'signature-missing': OTHER,
  'signer-untrusted': OTHER,
  'transport-decryption': OTHER,
  'store-busy': OTHER,
  'store-closed': OTHER,
  'store-corrupt': OTHER,
  'store-exists': OTHER,
  'store-full': OTHER,
  'store-invalid-input': OTHER,
  'store-io': OTHER,
  'store-key-unavailable': OTHER,
  'store-last-key-wrapper': OTHER,
  'store-legal-hold': OTHER,
  'store-claimed': OTHER,
  'store-not-found': OTHER,
  'store-not-open': OTHER,
  'store-too-new': OTHER,
  'store-unknown-message': OTHER,
  'store-weak-password': OTHER,
  'store-wrong-password': OTHER,
  'store-wrong-recovery-key': OTHER,
  'pkcs12-ambiguous-key': OTHER,
  'pkcs12-corrupt': OTHER,
  'pkcs12-is-certificate': OTHER,
  'pkcs12-key-without-certificate': OTHER,
  'pkcs12-no-private-key': OTHER,
  'pkcs12-no-suitable-key': OTHER,
  'pkcs12-selected-key-missing': OTHER,
  'pkcs12-too-costly': OTHER,
  'pkcs12-unsupported': OTHER,
  'pkcs12-wrong-password': OTHER,
  'certificate-expired': OTHER,
  'certificate-expiring': OTHER,
  'certificate-is-pkcs12': OTHER,
  'certificate-unreadable': OTHER,
  'trusted-ca-not-ca': OTHER,
  'trusted-ca-not-in-file': OTHER,
  'trusted-ca-unknown': OTHER,
  'key-not-valid-now': OTHER,
  'key-self-signed': OTHER,
  'key-too-short': OTHER,
  'tls-expired': OTHER,
  'tls-failed': OTHER,
  'tls-untrusted': OTHER,
  'tls-wrong-host': OTHER,
  'proxy-auth': OTHER,
  'proxy-pac': OTHER,
  'export-folder-not-allowed': OTHER,
  'export-pdf': OTHER,
  'export-source': OTHER,
  'export-target': OTHER,
  'export-target-exists': OTHER,
  'export-unreadable': OTHER,
  'handover-folder': OTHER,
  'handover-inconsistent': OTHER,
  'handover-not-configured': OTHER,
  'backup-corrupt': OTHER,
  'backup-io': OTHER,
  'backup-target-exists': OTHER,
  'backup-too-new': OTHER,
  'backup-weak-password': OTHER,
  'rotation-none': OTHER,
  'rotation-same-certificate': OTHER,
  'rotation-unsuitable': OTHER,
  'transfer-invalid': OTHER,
  'transfer-unknown': OTHER,
  'backup-wrong-password': OTHER,
  'api-invalid-event': OTHER,
  'api-invalid-input': OTHER,
  'api-invalid-output': OTHER,
  'api-unknown-method': OTHER,
  'bridge-foreign-host': OTHER,
  'serve-account': OTHER,
  'serve-config': OTHER,
  'serve-forbidden': OTHER,
  'serve-no-tls': OTHER,
  'serve-running': OTHER,
  'serve-signed-out': OTHER,
  'bridge-foreign-origin': OTHER,
  'bridge-not-loopback': OTHER,
  'bridge-token': OTHER,
  'bridge-unreachable': OTHER,
  'ipc-untrusted-sender': OTHER,
  'service-protocol': OTHER,
  'service-restarted': OTHER,
  'service-stopped': OTHER,
  'training-not-offered': OTHER,
  'training-running': OTHER,
  'training-unavailable': OTHER,
  'test-pki-exists': OTHER,
  'test-pki-invalid': OTHER,
  'test-pki-missing': OTHER,
  'test-pki-write-failed': OTHER,
  'intermediary-data': OTHER,
  'intermediary-listen': OTHER,
  'fetch-failed': OTHER,
  'abnahme-not-test': OTHER,
  clipboard: OTHER,
  'config-invalid': OTHER,
  'document-missing': OTHER,
  'electron-failed': OTHER,
  'fetch-running': OTHER,
  'file-unreadable': OTHER,
  'folder-not-private': OTHER,
  'http-status': OTHER,
  'identity-invalid': OTHER,
  'identity-missing': OTHER,
  'input-file': OTHER,
  internal: OTHER,
  'invalid-argument': OTHER,
  'keystore-unavailable': OTHER,
  network: OTHER,
  'password-missing': OTHER,
  'setting-locked': OTHER,
  'open-external-failed': OTHER,
  'shell-unavailable': OTHER,
  'ui-not-built': OTHER,
  usage: OTHER,
  'value-missing': OTHER,
  'work-quarantined': OTHER,
  'xsd-bundle': OTHER,
} as const satisfies Record<ErrorKind, UnreadableWords>;

/**
 * The whole reason, "nicht lesbar: …" / "not readable: …", for any kind as stored (an older name of a kind in its
 * kind's words, an unknown kind in general words).
 */
export function unreadableWords(kind: string): UnreadableWords {
  const known = canonicalKind(kind);
  const reason: UnreadableWords = known === undefined ? OTHER : REASONS[known];
  return { de: `nicht lesbar: ${reason.de}`, en: `not readable: ${reason.en}` };
}

/** What the stored kind may look like (an error kind token). */
export { UNREADABLE_KIND_PATTERN } from '../../domain/evidence.js';
