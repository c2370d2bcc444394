/**
 * The keys of a mailbox (DESIGN.md "Policies" → Keys): a cipher key (the mailbox identity, decrypts) and a
 * signature key, which may be the same key. The cipher key comes from the primary file (`--p12`), the signature
 * key from `--signature-p12` where given, else from the primary file. Among several keys the choice is made by
 * an explicit selector (certificate, fingerprint or alias), then by key usage (a key dedicated to the role wins
 * over one that serves both), and it is an error only when still ambiguous.
 */
import type { X509Certificate } from 'node:crypto';
import { PostfachError } from '../errors.js';
import type { UserText } from '../errors.js';
import { type KeyRole, suitsRole } from './certificate-facts.js';

/** The roles in the words of this module's errors (an error carries its own German and English sentence). */
const ROLE_TEXT: Readonly<Record<KeyRole, UserText>> = {
  cipher: { de: 'Verschlüsselung', en: 'encryption' },
  signature: { de: 'Signatur', en: 'signature' },
};
import type { KeyEntry, Pkcs12Contents } from './pkcs12.js';
import { x509Fields } from './x509-fields.js';

/** Picks one key explicitly; every given field must match. */
export interface KeySelector {
  /** The expected certificate (e.g. the mailbox identity recorded at set-up), compared DER byte for byte. */
  readonly certificate?: X509Certificate;
  /** SHA-256 fingerprint of the certificate, hex with or without colons, case-insensitive. */
  readonly fingerprintSha256?: string;
  /** The alias (PKCS#12 friendlyName). */
  readonly alias?: string;
}

export interface MailboxKeyFiles {
  readonly primary: Pkcs12Contents;
  readonly signature?: Pkcs12Contents;
  readonly select?: { readonly cipher?: KeySelector; readonly signature?: KeySelector };
}

export interface MailboxKeys {
  readonly cipher: KeyEntry;
  /** May be the same object as `cipher`. */
  readonly signature: KeyEntry;
}

/** One competing key, for the caller to show (the owner's own key file; never written to logs). */
export interface KeyCandidate {
  readonly alias: string | undefined;
  readonly subject: string;
  readonly fingerprintSha256: string;
}

/** Thrown when several keys fit a role; `candidates` names them for the person choosing. */
export class AmbiguousKeyError extends PostfachError {
  readonly role: KeyRole;
  readonly candidates: readonly KeyCandidate[];

  constructor(role: KeyRole, keys: readonly KeyEntry[]) {
    const what = ROLE_TEXT[role];
    super(
      'pkcs12-ambiguous-key',
      {
        de: `Die Schlüsseldatei enthält ${keys.length} Schlüssel, die für die ${what.de} in Frage kommen. Bitte den gemeinten Schlüssel angeben (Alias oder Fingerabdruck; „postfach pki show“ zeigt beide).`,
        en: `The key file holds ${keys.length} keys that could serve for ${what.en}. Please name the intended key (alias or fingerprint; "postfach pki show" lists both).`,
      },
      // fingerprints only: aliases and subjects may name persons
      `${keys.length} keys fit role ${role}: ${keys.map((k, i) => `#${i + 1} SHA-256 ${k.certificate.fingerprint256}`).join(', ')}`,
    );
    this.role = role;
    this.candidates = keys.map((k) => ({
      alias: k.alias,
      subject: x509Fields(k.certificate).subject.rfc2253,
      fingerprintSha256: k.certificate.fingerprint256,
    }));
  }
}

function noKey(role: KeyRole, detail: string): never {
  throw new PostfachError(
    'pkcs12-no-suitable-key',
    {
      de: `Die Schlüsseldatei enthält keinen Schlüssel, der laut Zertifikat für die ${ROLE_TEXT[role].de} vorgesehen ist.`,
      en: `The key file holds no key whose certificate allows ${ROLE_TEXT[role].en}.`,
    },
    detail,
  );
}

function notSelected(role: KeyRole, count: number): never {
  throw new PostfachError(
    'pkcs12-selected-key-missing',
    {
      de: `Der angegebene Schlüssel für die ${ROLE_TEXT[role].de} ist nicht in der Schlüsseldatei.`,
      en: `The key named for ${ROLE_TEXT[role].en} is not in the key file.`,
    },
    `no key among ${count} matches the selector for role ${role}`,
  );
}

const normalizeFingerprint = (f: string): string => f.replace(/[^0-9a-f]/gi, '').toUpperCase();

function matches(key: KeyEntry, selector: KeySelector): boolean {
  if (selector.certificate && !key.certificateDer.equals(selector.certificate.raw)) return false;
  if (selector.fingerprintSha256 !== undefined && normalizeFingerprint(key.certificate.fingerprint256) !== normalizeFingerprint(selector.fingerprintSha256)) {
    return false;
  }
  if (selector.alias !== undefined && key.alias !== selector.alias) return false;
  return true;
}

const OTHER: Readonly<Record<KeyRole, KeyRole>> = { cipher: 'signature', signature: 'cipher' };

/** Chooses the key for `role` among `keys`; `exclude` is a key already chosen for the other role. */
function choose(role: KeyRole, keys: readonly KeyEntry[], selector: KeySelector | undefined, exclude?: KeyEntry): KeyEntry {
  if (selector) {
    const selected = keys.filter((k) => matches(k, selector));
    if (selected.length === 0) notSelected(role, keys.length);
    if (selected.length > 1) throw new AmbiguousKeyError(role, selected);
    const only = selected[0] as KeyEntry;
    if (!suitsRole(only.certificate, role)) noKey(role, `the selected key's certificate does not allow role ${role}`);
    return only;
  }
  const suitable = keys.filter((k) => suitsRole(k.certificate, role));
  if (suitable.length === 0) noKey(role, `none of ${keys.length} key(s) allows role ${role} by algorithm and key usage`);
  if (suitable.length === 1) return suitable[0] as KeyEntry;
  // a key dedicated to this role (its certificate does not also allow the other one) wins
  const dedicated = suitable.filter((k) => !suitsRole(k.certificate, OTHER[role]));
  if (dedicated.length === 1) return dedicated[0] as KeyEntry;
  // the key already chosen for the other role from the same file is not the one meant here
  const rest = exclude ? suitable.filter((k) => k !== exclude) : suitable;
  if (rest.length === 1) return rest[0] as KeyEntry;
  throw new AmbiguousKeyError(role, dedicated.length > 1 ? dedicated : suitable);
}

/**
 * Resolves the mailbox keys. Errors: pkcs12-ambiguous-key (AmbiguousKeyError with the candidates),
 * pkcs12-no-suitable-key, pkcs12-selected-key-missing.
 */
export function resolveMailboxKeys(files: MailboxKeyFiles): MailboxKeys {
  const select = files.select ?? {};
  if (files.signature) {
    return { cipher: choose('cipher', files.primary.keys, select.cipher), signature: choose('signature', files.signature.keys, select.signature) };
  }
  // one file: the role named by a selector is resolved first, the other one then excludes that key
  const keys = files.primary.keys;
  if (select.signature && !select.cipher) {
    const signature = choose('signature', keys, select.signature);
    return { cipher: choose('cipher', keys, undefined, signature), signature };
  }
  const cipher = choose('cipher', keys, select.cipher);
  return { cipher, signature: choose('signature', keys, select.signature, cipher) };
}
