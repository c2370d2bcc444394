/**
 * The one registry of error kinds: every stable `kind` a PostfachError can carry, with the part that raises it.
 * The ErrorKind type is derived from it, so PostfachError only takes a registered kind, and the tables that put a
 * kind into words (the engine's sentences, "Was kann ich tun?" help, "nicht lesbar" reasons) are typed
 * `satisfies Record<ErrorKind, …>`: a new kind without words does not compile. Runs anywhere (the renderer
 * imports it). One name per concept: a kind is never renamed here without keeping the old name readable where it
 * was stored (see LEGACY_KINDS).
 */

export const ERROR_KINDS = [
  // the protocol core (core/osci; PROTOCOL-level failures, also in `inspect --json`)
  'content-decryption',
  'dialog-closed',
  'dialog-mismatch',
  'digest-mismatch',
  'fault',
  'hostile-xml',
  'malformed',
  'no-matching-key',
  'osci-error',
  'signature-incomplete',
  'signature-invalid',
  'signature-missing',
  'signer-untrusted',
  'transport-decryption',
  'unsupported-algorithm',
  // the data store
  'store-busy',
  'store-closed',
  'store-corrupt',
  'store-exists',
  'store-full',
  'store-invalid-input',
  'store-io',
  'store-key-unavailable',
  'store-last-key-wrapper',
  'store-legal-hold',
  'store-claimed',
  'store-not-found',
  'store-not-open',
  'store-too-new',
  'store-unknown-message',
  'store-weak-password',
  'store-wrong-password',
  'store-wrong-recovery-key',
  // key files (PKCS#12)
  'pkcs12-ambiguous-key',
  'pkcs12-corrupt',
  'pkcs12-is-certificate',
  'pkcs12-key-without-certificate',
  'pkcs12-no-private-key',
  'pkcs12-no-suitable-key',
  'pkcs12-selected-key-missing',
  'pkcs12-too-costly',
  'pkcs12-unsupported',
  'pkcs12-wrong-password',
  // certificates
  'certificate-expired',
  'certificate-expiring',
  'certificate-is-pkcs12',
  'certificate-unreadable',
  // trusted CAs
  'trusted-ca-not-ca',
  'trusted-ca-not-in-file',
  'trusted-ca-unknown',
  // the mailbox key's policy
  'key-not-valid-now',
  'key-self-signed',
  'key-too-short',
  // TLS to the intermediary
  'tls-expired',
  'tls-failed',
  'tls-untrusted',
  'tls-wrong-host',
  // the proxy
  'proxy-auth',
  'proxy-pac',
  // reading delivered XML (core/xsozial)
  'xml-empty',
  'xml-encoding',
  'xml-limit',
  'xml-malformed',
  // exports (PDF, XML, attachments)
  'export-folder-not-allowed',
  'export-pdf',
  'export-source',
  'export-target',
  'export-target-exists',
  'export-unreadable',
  // the hand-over folder for the case system (core/handover)
  'handover-folder',
  'handover-inconsistent',
  'handover-not-configured',
  // backups
  'backup-corrupt',
  'backup-io',
  'backup-target-exists',
  'backup-too-new',
  'backup-weak-password',
  // certificate change and transfer of set-up files
  'rotation-none',
  'rotation-same-certificate',
  'rotation-unsuitable',
  'transfer-invalid',
  'transfer-unknown',
  'backup-wrong-password',
  // the contract and its calls
  'api-invalid-event',
  'api-invalid-input',
  'api-invalid-output',
  'api-unknown-method',
  // the browser bridge
  'bridge-foreign-host',
  'bridge-foreign-origin',
  'bridge-not-loopback',
  'bridge-token',
  'bridge-unreachable',
  // the fetch service (postfach serve): accounts, sign-in, roles, TLS, one service per store
  'serve-account',
  'serve-config',
  'serve-forbidden',
  'serve-no-tls',
  'serve-running',
  'serve-signed-out',
  // the service process and the shell
  'ipc-untrusted-sender',
  'service-protocol',
  'service-restarted',
  'service-stopped',
  // Übungsmodus
  'training-not-offered',
  'training-running',
  'training-unavailable',
  // the test PKI (postfach pki)
  'test-pki-exists',
  'test-pki-invalid',
  'test-pki-missing',
  'test-pki-write-failed',
  // the local intermediary
  'intermediary-data',
  'intermediary-listen',
  // code lists (genericode files imported by IT)
  'codelist-invalid',
  'codelist-unreadable',
  // everything else (mailbox engine, set-up, content, settings, CLI, renderer)
  'fetch-failed',
  'abnahme-not-test',
  'clipboard',
  'config-invalid',
  'content-ambiguous',
  'document-missing',
  'electron-failed',
  'fetch-running',
  'file-unreadable',
  'folder-not-private',
  'http-status',
  'identity-invalid',
  'identity-missing',
  'input-file',
  'internal',
  'invalid-argument',
  'keystore-unavailable',
  'network',
  'no-content',
  'password-missing',
  'setting-locked',
  'open-external-failed',
  'shell-unavailable',
  'ui-not-built',
  'usage',
  'value-missing',
  'work-quarantined',
  'xsd-bundle',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_KINDS);

export function isErrorKind(kind: string): kind is ErrorKind {
  return KNOWN.has(kind);
}

/**
 * Older names of a kind, for reading what an earlier version stored or wrote (the unreadable kind of a delivery,
 * the last fetch's kind, log and audit files). Nothing writes these names any more.
 */
export const LEGACY_KINDS: Readonly<Record<string, ErrorKind>> = {
  // core/xsozial's name of the concept core/osci calls hostile-xml (one name per concept since issue 11)
  'xml-hostile': 'hostile-xml',
};

/** The registered kind a stored or received name stands for (its older name included); undefined if unknown. */
export function canonicalKind(kind: string): ErrorKind | undefined {
  if (isErrorKind(kind)) return kind;
  return Object.hasOwn(LEGACY_KINDS, kind) ? LEGACY_KINDS[kind] : undefined;
}
