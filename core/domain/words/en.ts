/** The English words of the domain's codes (words.ts says what each is). */
import { plural } from '../../words/plural.js';
import type { EvidenceWords } from './words.js';

const ROLE = { cipher: 'encryption', signature: 'signature' } as const;

export const en: EvidenceWords = {
  signatureResult: { valid: 'signature valid', invalid: 'signature invalid – do not use the content', 'not-checkable': 'signature not checkable' },
  certificateTrust: {
    trusted: 'certificate trusted',
    'unknown-issuer': 'certificate from an unknown issuer',
    invalid: 'certificate invalid',
    'not-checked': 'certificate not checked',
  },
  revocation: { 'not-checked': 'revocation status not checked' },
  signatureReason: {
    'bad-signature': "The issuer's signature over the certificate is invalid (certificate altered or wrong issuer).",
    expired: 'The certificate had expired at the time checked.',
    'not-yet-valid': 'The certificate was not yet valid at the time checked.',
    'issuer-not-ca': 'The issuer is not a certification authority.',
    'issuer-not-allowed-to-sign': 'According to its certificate the issuer may not sign certificates.',
    'path-too-long': 'The certificate chain is longer than allowed.',
    'unsupported-critical-extension': 'The certificate contains an extension marked critical that cannot be checked.',
    'issuer-not-found': 'The issuer is not a certification authority configured as trusted.',
    'untrusted-root': 'The chain ends at a certification authority that is not configured as trusted.',
    'attachment-not-covered': 'At least one attachment does not match this signature; it is marked on its own and is not covered.',
  },
  signatureStatus: {
    trusted: 'Signature valid, certificate trusted',
    'unknown-issuer': 'Signature valid, unknown issuer',
    invalid: 'Signature invalid – do not use',
    unsigned: 'not signed',
    'not-checkable': 'Signature not checkable',
  },
  signatureStatusShort: {
    trusted: 'valid',
    'unknown-issuer': 'valid, unknown issuer',
    invalid: 'invalid',
    unsigned: 'not signed',
    'not-checkable': 'not checkable',
  },
  signatureStatusNone: 'Signature: not stated',
  certificateWarning: (w) => {
    switch (w.code) {
      case 'expired':
        return `The certificate has expired (valid until ${w.validTo}).`;
      case 'not-yet-valid':
        return `The certificate is not valid yet (valid from ${w.validFrom}).`;
      case 'expires-soon':
        return `The certificate expires in ${w.days ?? 0} ${plural('en', w.days ?? 0, 'day', 'days')} (on ${w.validTo}). Please request a new one in time.`;
      case 'wrong-key-usage':
        return `According to its certificate the key is not meant for ${ROLE[w.role ?? 'signature']}.`;
      case 'weak-key':
        return `The key is too short at ${w.bits ?? 0} bit (recommended: at least ${w.minimum ?? 0} bit, BSI TR-02102).`;
      case 'weak-signature-algorithm':
        return `The certificate is signed with an outdated algorithm (${w.algorithm ?? '?'}).`;
    }
  },
  signatureCertificateWarning: (sentence) => `Signature certificate: ${sentence}`,
  inspectionValid: 'valid according to the intermediary',
  inspectionRevoked: 'revoked according to the intermediary',
  inspectionNotInOrder: (math, offline) => `not in order according to the intermediary (${math}/${offline})`,
  inspectionSubjectUnknown: 'unknown',
  coverageStatus: {
    signed: 'signed',
    unsigned: 'not signed',
    'not-covered': 'not covered by the signature',
    'digest-mismatch': 'altered – does not match the signature',
    'signature-invalid': 'signature invalid',
    undecryptable: "encrypted by someone else – not readable with the sender's key, kept as received",
    duplicate: 'duplicate of a part of the application',
    'as-received': 'kept as received – no statement about signatures',
    'before-coverage': 'stored before the per-part check – coverage by the signature unknown',
  },
  coverageSignedExtra: 'signed, but not part of the application shown (another signature)',
  partRole: { application: 'Application', attachment: 'Attachment', extra: 'Extra part (not part of the application)', received: 'Delivery as received' },
  partRoleUnknown: 'Part of the delivery',
  creationCheck: {
    plausible: 'Eingang plausible',
    missing: 'Eingang unknown: the process card gives no time',
    unreadable: "Eingang not plausible: the intermediary's time stamp is no valid time",
    future: 'Eingang not plausible: it lies in the future',
    'after-forwarding': 'Eingang not plausible: it lies after the forwarding to this mailbox',
    'before-message-created': 'Eingang not plausible: it lies before the message was created',
  },
  creationFlagImplausible: 'not plausible',
  creationFlagMissing: 'unknown',
  receivedInstead: (at) => `fetched on ${at}; certificates checked at that time`,
  fetchedShort: (at) => `fetched ${at}`,
  judgedAtReceipt: 'certificate checked at the time of fetching, because the Eingang is not plausible or unknown',
  expiredSince: (validTo) => `certificate expired since (valid until ${validTo}); it was valid at the Eingang`,
  unsignedBanner: 'NOT SIGNED – no signature of the sender covers this application; its origin and integrity are not proven',
};
