/**
 * "nicht lesbar": why a delivery's content could not be decrypted, verified or read, by the stable kind the fetch
 * engine stores (the error kind). The store keeps the kind only (store migration 13); the words are said from it
 * where shown. Plain words, no personal data.
 * No Node and no DOM here (the renderer imports this file).
 */

export interface UnreadableWords {
  readonly de: string;
  readonly en: string;
}

const REASONS: Readonly<Record<string, UnreadableWords>> = {
  'no-matching-key': { de: 'Inhalt ist nicht für das Zertifikat dieses Postfachs verschlüsselt', en: "the content is not encrypted for this mailbox's certificate" },
  'content-decryption': { de: 'Inhalt konnte nicht entschlüsselt werden', en: 'the content could not be decrypted' },
  'signature-invalid': { de: 'Signatur des Absenders ist ungültig', en: "the sender's signature is invalid" },
  'digest-mismatch': { de: 'Inhalt wurde nach der Signatur des Absenders verändert', en: "the content was changed after the sender's signature" },
  'signature-incomplete': { de: 'Signatur des Absenders deckt nicht den ganzen Inhalt ab', en: "the sender's signature does not cover the whole content" },
  'unsupported-algorithm': { de: 'Inhalt verwendet ein nicht unterstütztes Verfahren', en: 'the content uses an unsupported algorithm' },
  'xml-hostile': { de: 'unzulässiger XML-Aufbau (DOCTYPE oder Entity), aus Sicherheitsgründen nicht gelesen', en: 'inadmissible XML structure (DOCTYPE or entity), not read for security reasons' },
  'hostile-xml': { de: 'unzulässiger XML-Aufbau, aus Sicherheitsgründen nicht gelesen', en: 'inadmissible XML structure, not read for security reasons' },
  'xml-malformed': { de: 'Inhalt ist kein gültiges XML', en: 'the content is not valid XML' },
  'xml-encoding': { de: 'Inhalt ist nicht korrekt als UTF-8 kodiert', en: 'the content is not correctly encoded as UTF-8' },
  'xml-limit': { de: 'Inhalt überschreitet eine Sicherheitsgrenze', en: 'the content exceeds a safety limit' },
  'xml-empty': { de: 'Inhalt ist leer', en: 'the content is empty' },
  'no-content': { de: 'Zustellung enthält keinen Inhalt', en: 'the delivery holds no content' },
  'content-ambiguous': { de: 'Zustellung enthält mehrere verschiedene Anträge, keiner ist eindeutig der signierte', en: 'the delivery holds several different applications, none is clearly the signed one' },
  malformed: { de: 'Inhaltsdaten sind beschädigt', en: 'the content data is damaged' },
};

const OTHER: UnreadableWords = { de: 'Inhalt kann nicht gelesen werden', en: 'the content cannot be read' };

/** The whole reason, "nicht lesbar: …" / "not readable: …", for any kind (an unknown kind in general words). */
export function unreadableWords(kind: string): UnreadableWords {
  const reason = Object.hasOwn(REASONS, kind) ? (REASONS[kind] as UnreadableWords) : OTHER;
  return { de: `nicht lesbar: ${reason.de}`, en: `not readable: ${reason.en}` };
}

/** What the stored kind may look like (an error kind token). */
export { UNREADABLE_KIND_PATTERN } from '../../domain/evidence.js';
