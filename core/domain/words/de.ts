/** The German words of the domain's codes (words.ts says what each is). German first: the office's language. */
import { plural } from '../../words/plural.js';
import type { EvidenceWords } from './words.js';

const ROLE = { cipher: 'Verschlüsselung', signature: 'Signatur' } as const;

export const de: EvidenceWords = {
  signatureResult: { valid: 'Signatur gültig', invalid: 'Signatur ungültig – Inhalt nicht verwenden', 'not-checkable': 'Signatur nicht prüfbar' },
  certificateTrust: {
    trusted: 'Zertifikat vertrauenswürdig',
    'unknown-issuer': 'Zertifikat von unbekanntem Aussteller',
    invalid: 'Zertifikat ungültig',
    'not-checked': 'Zertifikat nicht geprüft',
  },
  revocation: { 'not-checked': 'Sperrstatus nicht geprüft' },
  signatureReason: {
    'bad-signature': 'Die Signatur des Ausstellers über das Zertifikat ist ungültig (Zertifikat verändert oder falscher Aussteller).',
    expired: 'Das Zertifikat war zum Prüfzeitpunkt abgelaufen.',
    'not-yet-valid': 'Das Zertifikat war zum Prüfzeitpunkt noch nicht gültig.',
    'issuer-not-ca': 'Der Aussteller ist keine Zertifizierungsstelle.',
    'issuer-not-allowed-to-sign': 'Der Aussteller darf laut seinem Zertifikat keine Zertifikate signieren.',
    'path-too-long': 'Die Zertifikatskette ist länger als erlaubt.',
    'unsupported-critical-extension': 'Das Zertifikat enthält eine als kritisch markierte Erweiterung, die nicht geprüft werden kann.',
    'issuer-not-found': 'Der Aussteller ist keine als vertrauenswürdig eingerichtete Zertifizierungsstelle.',
    'untrusted-root': 'Die Kette endet bei einer Zertifizierungsstelle, die nicht als vertrauenswürdig eingerichtet ist.',
    'attachment-not-covered': 'Mindestens eine Anlage passt nicht zu dieser Signatur; sie ist einzeln gekennzeichnet und gehört nicht zum Nachweis.',
  },
  signatureStatus: {
    trusted: 'Signatur gültig, Zertifikat vertrauenswürdig',
    'unknown-issuer': 'Signatur gültig, Aussteller unbekannt',
    invalid: 'Signatur ungültig – nicht verwenden',
    unsigned: 'nicht signiert',
    'not-checkable': 'Signatur nicht prüfbar',
  },
  signatureStatusShort: {
    trusted: 'gültig',
    'unknown-issuer': 'gültig, Aussteller unbekannt',
    invalid: 'ungültig',
    unsigned: 'nicht signiert',
    'not-checkable': 'nicht prüfbar',
  },
  signatureStatusNone: 'Signatur: keine Angabe',
  certificateWarning: (w) => {
    switch (w.code) {
      case 'expired':
        return `Das Zertifikat ist abgelaufen (gültig bis ${w.validTo}).`;
      case 'not-yet-valid':
        return `Das Zertifikat ist noch nicht gültig (gültig ab ${w.validFrom}).`;
      case 'expires-soon':
        return `Das Zertifikat läuft in ${w.days ?? 0} ${plural('de', w.days ?? 0, 'Tag', 'Tagen')} ab (am ${w.validTo}). Bitte rechtzeitig ein neues beantragen.`;
      case 'wrong-key-usage':
        return `Der Schlüssel ist laut Zertifikat nicht für ${ROLE[w.role ?? 'signature']} vorgesehen.`;
      case 'weak-key':
        return `Der Schlüssel ist mit ${w.bits ?? 0} Bit zu kurz (empfohlen: mindestens ${w.minimum ?? 0} Bit, BSI TR-02102).`;
      case 'weak-signature-algorithm':
        return `Das Zertifikat ist mit einem veralteten Verfahren signiert (${w.algorithm ?? '?'}).`;
    }
  },
  signatureCertificateWarning: (sentence) => `Signaturzertifikat: ${sentence}`,
  inspectionValid: 'laut Intermediär gültig',
  inspectionRevoked: 'laut Intermediär gesperrt',
  inspectionNotInOrder: (math, offline) => `laut Intermediär nicht in Ordnung (${math}/${offline})`,
  inspectionSubjectUnknown: 'unbekannt',
  coverageStatus: {
    signed: 'signiert',
    unsigned: 'nicht signiert',
    'not-covered': 'nicht von der Signatur erfasst',
    'digest-mismatch': 'verändert – passt nicht zur Signatur',
    'signature-invalid': 'Signatur ungültig',
    undecryptable: 'fremd verschlüsselt – nicht mit dem Schlüssel des Absenders lesbar, so wie empfangen gespeichert',
    duplicate: 'Duplikat eines Teils des Antrags',
    'as-received': 'so wie empfangen gespeichert – keine Aussage über Signaturen',
    'before-coverage': 'gespeichert vor der Prüfung je Teil – Abdeckung durch die Signatur unbekannt',
  },
  coverageSignedExtra: 'signiert, gehört aber nicht zum angezeigten Antrag (andere Signatur)',
  partRole: { application: 'Antrag', attachment: 'Anlage', extra: 'Zusätzlicher Teil (nicht Teil des Antrags)', received: 'Zustellung, so wie empfangen' },
  partRoleUnknown: 'Teil der Zustellung',
  creationCheck: {
    plausible: 'Eingang plausibel',
    missing: 'Eingang unbekannt: der Laufzettel nennt keinen Zeitpunkt',
    unreadable: 'Eingang nicht plausibel: der Zeitstempel des Intermediärs ist kein gültiger Zeitpunkt',
    future: 'Eingang nicht plausibel: liegt in der Zukunft',
    'after-forwarding': 'Eingang nicht plausibel: liegt nach der Weiterleitung an dieses Postfach',
    'before-message-created': 'Eingang nicht plausibel: liegt vor der Erstellung der Nachricht',
  },
  creationFlagImplausible: 'nicht plausibel',
  creationFlagMissing: 'unbekannt',
  receivedInstead: (at) => `abgerufen am ${at}; Zertifikate zu diesem Zeitpunkt geprüft`,
  fetchedShort: (at) => `Abruf ${at}`,
  judgedAtReceipt: 'Zertifikat zum Zeitpunkt des Abrufs geprüft, weil der Eingang nicht plausibel oder unbekannt ist',
  expiredSince: (validTo) => `Zertifikat inzwischen abgelaufen (gültig bis ${validTo}); zum Eingang war es gültig`,
  unsignedBanner: 'NICHT SIGNIERT – keine Signatur des Absenders erfasst diesen Antrag; Herkunft und Unverändertheit sind nicht nachgewiesen',
};
