/**
 * The certificate rotation in words (contract area ops, `rotation.*`): each step's title and explanation by its id,
 * and what interrupted a drain by the error kind the fetch reported (`lastError`). The contract carries the ids and
 * the kind; the renderer and the command line say them from here. No Node and no DOM here (the renderer imports
 * this file).
 */
import type { UserText } from '../../errors.js';

export type RotationStepId = 'import' | 'drain' | 'switch' | 'announce';

export const ROTATION_STEP_WORDS: Readonly<Record<RotationStepId, { readonly title: UserText; readonly explanation: UserText }>> = {
  import: {
    title: { de: 'Neues Zertifikat einlesen', en: 'Import the new certificate' },
    explanation: {
      de: 'Die neue Schlüsseldatei (.p12) wird geprüft und verschlüsselt im Datenspeicher abgelegt. Das alte Zertifikat bleibt vorerst in Kraft.',
      en: 'The new key file (.p12) is checked and kept encrypted in the data store. The old certificate stays in force for now.',
    },
  },
  drain: {
    title: { de: 'Altes Postfach leeren', en: 'Empty the old mailbox' },
    explanation: {
      de: 'Alles, was beim Intermediär noch für das alte Zertifikat bereitliegt, wird mit dem alten Schlüssel abgerufen. Bricht der Abruf ab, wird dieser Schritt beim nächsten Mal fortgesetzt; nichts wird doppelt gespeichert.',
      en: 'Everything still waiting at the intermediary for the old certificate is fetched with the old key. If the fetch is interrupted, this step continues next time; nothing is stored twice.',
    },
  },
  switch: {
    title: { de: 'Auf das neue Zertifikat umschalten', en: 'Switch to the new certificate' },
    explanation: {
      de: 'Das neue Zertifikat wird zum Postfachschlüssel. Der alte Schlüssel bleibt verschlüsselt im Datenspeicher, damit Inhalte, die noch für das alte Zertifikat verschlüsselt sind, lesbar bleiben.',
      en: 'The new certificate becomes the mailbox key. The old key stays encrypted in the data store, so that content still encrypted for the old certificate remains readable.',
    },
  },
  announce: {
    title: { de: 'Neues Zertifikat bekannt geben', en: 'Announce the new certificate' },
    explanation: {
      de: 'Außerhalb des Programms: Das neue Zertifikat muss im DVDV (über die zuständige Pflegestelle) und beim Betreiber des Intermediärs hinterlegt sein, damit Absender dafür verschlüsseln.',
      en: 'Outside the program: the new certificate must be registered in the DVDV (through the responsible registration office) and with the intermediary’s operator, so that senders encrypt for it.',
    },
  },
};

/** What interrupted a drain, by the error kind the fetch reported (or its outcome), in plain words. */
const INTERRUPTIONS: Readonly<Record<string, UserText>> = {
  cancelled: { de: 'Der Abruf wurde abgebrochen.', en: 'The fetch was cancelled.' },
  failed: { de: 'Der Abruf ist fehlgeschlagen.', en: 'The fetch failed.' },
  network: { de: 'Der Intermediär war nicht erreichbar.', en: 'The intermediary could not be reached.' },
  'http-status': { de: 'Der Intermediär war gestört (HTTP-Fehler).', en: 'The intermediary was disrupted (HTTP error).' },
  fault: { de: 'Der Intermediär hat die Anfrage abgelehnt.', en: 'The intermediary refused the request.' },
  'osci-error': { de: 'Der Intermediär hat einen Fehler gemeldet.', en: 'The intermediary reported an error.' },
  'dialog-mismatch': { de: 'Die Verbindung zum Intermediär wurde unterbrochen.', en: 'The connection to the intermediary was interrupted.' },
  'dialog-closed': { de: 'Die Verbindung zum Intermediär wurde unterbrochen.', en: 'The connection to the intermediary was interrupted.' },
  'signer-untrusted': { de: 'Die Antwort war nicht vom eingestellten Intermediär signiert.', en: 'The answer was not signed by the configured intermediary.' },
  'transport-decryption': {
    de: 'Die Antwort des Intermediärs konnte mit dem alten Schlüssel nicht entschlüsselt werden.',
    en: 'The intermediary’s answer could not be decrypted with the old key.',
  },
  'no-matching-key': { de: 'Der alte Schlüssel passt nicht zur Antwort des Intermediärs.', en: 'The old key does not fit the intermediary’s answer.' },
  'proxy-auth': { de: 'Der Proxy hat die Anmeldung abgelehnt.', en: 'The proxy refused the sign-in.' },
  'tls-untrusted': { de: 'Dem Serverzertifikat des Intermediärs wird nicht vertraut.', en: 'The intermediary’s server certificate is not trusted.' },
  'tls-expired': { de: 'Das Serverzertifikat des Intermediärs ist abgelaufen.', en: 'The intermediary’s server certificate has expired.' },
  'tls-wrong-host': { de: 'Das Serverzertifikat passt nicht zur Adresse des Intermediärs.', en: 'The server certificate does not match the intermediary’s address.' },
  'store-full': { de: 'Der Speicherplatz war erschöpft.', en: 'The disk space was used up.' },
  'store-busy': { de: 'Der Datenspeicher war von einem anderen Programm belegt.', en: 'The data store was in use by another program.' },
  'fetch-running': { de: 'Es lief gerade ein anderer Abruf.', en: 'Another fetch was running.' },
};

/** The words for an interruption's error kind; an unknown kind is named as a technical detail. */
export function interruptionText(kind: string): UserText {
  return INTERRUPTIONS[kind] ?? { de: `Ein Fehler ist aufgetreten (technische Angabe: ${kind}).`, en: `An error occurred (technical detail: ${kind}).` };
}
