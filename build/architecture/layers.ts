/**
 * The one declaration of the program's parts and the arrows between them: which files make up a part, where it
 * runs, which parts it may import from (values and types, or types only) and which packages it may use. The ESLint
 * rule `local/layering` (build/eslint/layering.ts) enforces it on every linted file; the section "Parts and arrows"
 * of docs/ARCHITECTURE.md is written from it (`npm run architecture:doc`). Change the structure here, nowhere else.
 *
 * A file belongs to the part with the longest matching path (a folder ends in `/`); a file that matches no part is
 * a lint error, so a new folder has to be placed before it can be used.
 */

/** Node built-ins (`node:fs`, `fs`, …). */
export const NODE_BUILTINS = 'node:*';
/** Any npm package except `electron`, which a part must name to use. */
export const ANY_PACKAGE = '*';
/** Any part (tests and tooling). */
export const ANY_PART = '*';

export type PartName =
  | 'errors'
  | 'time'
  | 'domain'
  | 'visible-text'
  | 'words'
  | 'audit-words'
  | 'xml'
  | 'contract'
  | 'host'
  | 'service'
  | 'application'
  | 'app'
  | 'mailbox'
  | 'backup'
  | 'handover'
  | 'config'
  | 'ops'
  | 'export'
  | 'osci'
  | 'store'
  | 'store-pg'
  | 'xsozial'
  | 'xsozial-view'
  | 'pki'
  | 'io'
  | 'intermediary'
  | 'renderer'
  | 'preload'
  | 'shell'
  | 'shell-service'
  | 'serve'
  | 'cli'
  | 'cli-tools'
  | 'cli-team-demo'
  | 'cli-common'
  | 'bench'
  | 'tests'
  | 'tooling';

export interface Part {
  /** Folders (ending in `/`) and files, relative to the project root. */
  readonly paths: readonly string[];
  /** Where its code runs (for the reader; `packages` is what is checked). */
  readonly runsIn: string;
  /** What it is for, in one line. */
  readonly purpose: string;
  /** Parts it may import values and types from (its own part always). */
  readonly imports: readonly PartName[] | typeof ANY_PART;
  /** Parts it may import types from only (`import type`: erased at build time, no code of that part runs here). */
  readonly typesFrom?: readonly PartName[];
  /** Packages it may import: NODE_BUILTINS, ANY_PACKAGE, or package names (a name covers its subpaths). */
  readonly packages: readonly string[];
}

/** What runs anywhere (Node, the renderer, the sandboxed preload): no Node built-in, no package but zod. */
const UNIVERSAL = ['zod'] as const;
/** The renderer's packages (pdf.js: its browser build, and its worker as a URL). */
const RENDERER_PACKAGES = ['react', 'react-dom', 'react-aria-components', '@internationalized/date', '@tanstack/react-virtual', 'pdfjs-dist'] as const;
const NODE = [NODE_BUILTINS, ANY_PACKAGE] as const;

export const PARTS: Readonly<Record<PartName, Part>> = {
  // ── runs anywhere ────────────────────────────────────────────────────────────────────────────────────────────
  errors: {
    paths: ['core/errors.ts', 'core/error-kinds.ts'],
    runsIn: 'anywhere',
    purpose: 'PostfachError: stable kind, German and English words, technical detail',
    imports: [],
    packages: [],
  },
  time: {
    paths: ['core/time/'],
    runsIn: 'anywhere',
    purpose: 'the one formatter of times shown to a person, in the office time zone (Intl)',
    imports: [],
    packages: [],
  },
  domain: {
    paths: ['core/domain/'],
    runsIn: 'anywhere',
    purpose:
      'the domain types of the evidence (signature result, trust, revocation, certificate facts, inspection, unreadable reason, legal time, coverage) as codes, and their words, one module per language',
    imports: ['words'],
    packages: [],
  },
  'visible-text': {
    paths: ['core/visible-text.ts', 'core/text-bounds.ts', 'core/search-fold.ts'],
    runsIn: 'anywhere',
    purpose:
      'text from a message shown with invisible and reordering characters written out, cut to bounds without breaking a character; the search folding shared by index and highlight',
    imports: [],
    packages: [],
  },
  words: {
    paths: ['core/words/'],
    runsIn: 'anywhere',
    purpose: 'words by rule that every language part shares: plural by Intl.PluralRules; yes/no, amounts and sizes',
    imports: [],
    packages: [],
  },
  'audit-words': {
    paths: ['core/store/audit-actions.ts', 'core/store/audit-words.ts'],
    runsIn: 'anywhere',
    purpose: "the audit log's action codes and their words (an entry is stored as code and parameters; said where shown: the UI, the CSV)",
    imports: ['words'],
    packages: [],
  },
  contract: {
    paths: [
      'core/api/contract.ts',
      'core/api/contract/',
      'core/api/contract-kit.ts',
      'core/api/api-types.ts',
      'core/api/wire.ts',
      'core/api/validate.ts',
      'core/api/dispatch.ts',
      'core/api/checked-answers.ts',
      'core/api/call-result.ts',
      'core/api/client.ts',
      'core/api/renderer-client.ts',
      'core/api/bridge-client.ts',
      'core/api/csp.ts',
      'core/api/zod-without-eval.ts',
    ],
    runsIn: 'anywhere',
    purpose: "the typed contract (zod), its validation and wire format, the clients (the renderer's without zod) and the bridge client",
    imports: ['errors', 'xsozial-view', 'domain'],
    packages: UNIVERSAL,
  },
  'xsozial-view': {
    paths: [
      'core/xsozial/view-schema.ts',
      'core/xsozial/person-names.ts',
      'core/xsozial/person-name-format.ts',
      'core/xsozial/tree-block-id.ts',
      'core/xsozial/active-content-codes.ts',
    ],
    runsIn: 'anywhere',
    purpose:
      'the XSozial view model declared once (zod schemas, the types by z.infer), person names (how a name is written) and the codes of active document content, part of the contract',
    imports: [],
    packages: UNIVERSAL,
  },

  // ── the user interface ───────────────────────────────────────────────────────────────────────────────────────
  renderer: {
    paths: ['renderer/src/'],
    runsIn: 'Chromium (sandboxed renderer or a browser)',
    purpose: 'the React UI; talks to the program through the contract only',
    imports: ['contract', 'xsozial-view', 'errors', 'time', 'visible-text', 'domain', 'words', 'audit-words'],
    packages: RENDERER_PACKAGES,
  },
  preload: {
    paths: ['electron/preload.ts', 'electron/preload-bridge.ts', 'electron/preload-setup.ts', 'electron/ipc-channels.ts'],
    runsIn: 'Electron sandboxed preload',
    purpose: 'window.postfach over IPC, validated against the contract; the IPC channel names',
    imports: ['contract', 'errors'],
    packages: ['electron'],
  },
  shell: {
    paths: ['electron/'],
    runsIn: 'Electron main process',
    purpose: 'windows, menus, security policies, IPC handlers; starts and talks to the service',
    imports: ['contract', 'host', 'errors', 'preload', 'words'],
    packages: [...NODE, 'electron'],
  },
  'shell-service': {
    paths: ['electron/service-entry.ts', 'electron/service-wiring.ts'],
    runsIn: 'Electron utility process',
    purpose: "the desktop app's service: the service with Electron's net handed to the fetch engine",
    imports: ['service', 'mailbox', 'errors'],
    packages: [...NODE, 'electron'],
  },

  // ── the fetch service for a team ──────────────────────────────────────────────────────────────────────────────
  serve: {
    paths: ['core/serve/'],
    runsIn: 'Node (postfach serve)',
    purpose: 'the fetch service for a team: HTTPS front of the contract, personal accounts and sessions, roles, one service per store, the fetch schedule',
    // the bridge's shell answers, static files and CSP; scrypt's cost bound from the store
    imports: ['contract', 'host', 'io', 'errors', 'store', 'backup', 'store-pg'],
    packages: NODE,
  },

  // ── the command line ─────────────────────────────────────────────────────────────────────────────────────────
  cli: {
    paths: ['cli/'],
    runsIn: 'Node',
    purpose: 'the postfach command: mailbox commands through the contract, the UI in browser mode',
    imports: ['contract', 'xsozial-view', 'host', 'errors', 'time', 'visible-text', 'domain', 'words', 'cli-common', 'cli-tools', 'cli-team-demo', 'serve'],
    packages: NODE,
  },
  'cli-tools': {
    paths: ['cli/commands/inspect.ts', 'cli/commands/pki.ts', 'cli/commands/intermediary.ts', 'cli/commands/send.ts', 'cli/commands/config.ts'],
    runsIn: 'Node',
    purpose: 'commands that touch neither store nor mailbox: inspect a message, key files, the local intermediary and sender, settings',
    imports: ['osci', 'pki', 'io', 'config', 'intermediary', 'errors', 'time', 'visible-text', 'domain', 'words', 'cli-common'],
    packages: NODE,
  },
  'cli-team-demo': {
    paths: ['cli/commands/team-demo.ts'],
    runsIn: 'Node',
    purpose:
      'postfach team-demo: a team on one machine for trying it out — the demo through the contract, a throw-away PostgreSQL cluster, two accounts, postfach serve as a child process',
    // store-pg: only its throw-away local cluster (initdb + pg_ctl); the store itself is reached by the service alone
    imports: ['cli-common', 'serve', 'store-pg', 'contract', 'host', 'errors'],
    packages: NODE,
  },
  'cli-common': {
    paths: ['cli/output.ts', 'cli/exit-codes.ts', 'cli/office-time.ts'],
    runsIn: 'Node',
    purpose: 'exit codes, output and error reporting, the office-time formatter of every command',
    // the office time zone: from the service (app.info) or, for commands without one, from the settings
    imports: ['errors', 'time', 'config'],
    typesFrom: ['contract'],
    packages: NODE,
  },

  // ── the service: the contract's engine side ──────────────────────────────────────────────────────────────────
  host: {
    paths: [
      'core/api/service-host.ts',
      'core/api/service-protocol.ts',
      'core/api/worker-service.ts',
      'core/api/service-worker-thread.ts',
      'core/api/bridge-server.ts',
      'core/api/starting-service.ts',
      'core/api/static-files.ts',
      'core/api/first-page.ts',
      'core/api/app-version.ts',
      'core/api/supervised-service.ts',
      'core/api/service-listeners.ts',
      'core/api/service-incidents.ts',
      'core/api/service-limits.ts',
    ],
    runsIn: 'Node or Electron main',
    purpose: 'starts the service (worker thread), supervises and restarts it, talks to it; the loopback bridge for browser mode',
    imports: ['contract', 'io', 'errors'],
    // the OS key store protector the host lends the service implements the store's KeyProtector interface
    typesFrom: ['store'],
    packages: NODE,
  },
  service: {
    paths: ['core/api/'],
    runsIn: 'the service (worker thread or Electron utility process)',
    purpose: 'the handlers of the contract, composed per area; the service entry points',
    imports: ['contract', 'host', 'errors', 'domain', 'time', 'visible-text', 'application', 'app', 'mailbox', 'backup', 'config', 'ops', 'store', 'io'],
    packages: NODE,
  },
  application: {
    paths: ['core/app/'],
    runsIn: 'the service',
    purpose: 'the MailboxService the handlers are thin over: store session, settings, technical log, identity, fetch lock, heavy work, the Übungsmodus runner and postfach demo',
    // the quarantine file of heavy work is the host's (service-incidents.ts); workspace.json is written durably (core/io)
    // store-pg: the store factory opens the PostgreSQL store when the service is configured for it
    imports: ['contract', 'host', 'errors', 'mailbox', 'handover', 'backup', 'config', 'ops', 'store', 'store-pg', 'io'],
    // the fetch engine's post function type, handed through to the mailbox
    typesFrom: ['osci'],
    packages: NODE,
  },
  app: {
    paths: ['app/'],
    runsIn: 'the service',
    purpose: 'the application layer: compositions of the mailbox with the local intermediary (the Übungsmodus, postfach demo)',
    imports: ['mailbox', 'store', 'pki', 'io', 'errors', 'intermediary'],
    packages: NODE,
  },

  // ── core: downward only ──────────────────────────────────────────────────────────────────────────────────────
  mailbox: {
    paths: ['core/mailbox/'],
    runsIn: 'the service',
    purpose: 'the fetch engine: joins osci and store; identity, rotation, exports, acceptance record',
    imports: ['domain', 'osci', 'store', 'xsozial', 'xsozial-view', 'export', 'pki', 'io', 'config', 'ops', 'time', 'visible-text', 'words', 'errors'],
    packages: NODE,
  },
  backup: {
    paths: ['core/backup/'],
    runsIn: 'the service, Node',
    purpose: 'encrypted backup files of the store (single-PC, and the shared store on PostgreSQL for a move)',
    imports: ['store', 'store-pg', 'io', 'errors'],
    packages: NODE,
  },
  handover: {
    paths: ['core/handover/'],
    runsIn: 'the service, Node',
    purpose: 'the hand-over folder for the case system: each new delivery written once, atomically, with manifest and marker',
    imports: ['mailbox', 'store', 'time', 'errors', 'io'],
    packages: NODE,
  },
  config: {
    paths: ['core/config/'],
    runsIn: 'the service, Node',
    purpose: 'the settings local IT can preconfigure (policy, machine file, user)',
    imports: ['pki', 'time', 'errors'],
    packages: NODE,
  },
  ops: {
    paths: ['core/ops/'],
    runsIn: 'the service, Node',
    purpose: 'the technical log',
    imports: ['errors'],
    packages: NODE,
  },
  export: {
    paths: ['core/export/'],
    runsIn: 'the service, Node',
    purpose: 'view model and receipt facts to PDF, XML and attachment files',
    imports: ['domain', 'xsozial', 'time', 'visible-text', 'io', 'words', 'errors'],
    packages: NODE,
  },
  osci: {
    paths: ['core/osci/'],
    runsIn: 'the service, Node',
    purpose: 'OSCI-Transport 1.2: messages, MIME, encryption, signatures, the dialog client',
    imports: ['pki', 'io', 'xml', 'errors'],
    packages: NODE,
  },
  store: {
    paths: ['core/store/'],
    runsIn: 'the service, Node',
    purpose: 'the encrypted SQLite store and attachment files; knows nothing of OSCI',
    imports: ['time', 'words', 'audit-words', 'errors', 'visible-text', 'io'],
    packages: NODE,
  },
  'store-pg': {
    paths: ['core/store-pg/'],
    runsIn: 'the service, Node',
    purpose: 'the shared store on PostgreSQL (pg): the same async store interface as the SQLite store, contents sealed with the data key',
    imports: ['store', 'audit-words', 'errors', 'visible-text'],
    packages: NODE,
  },
  xsozial: {
    paths: ['core/xsozial/'],
    runsIn: 'the service, Node',
    purpose: 'delivered XSozial XML to the view model',
    imports: ['xsozial-view', 'xml', 'visible-text', 'io', 'words', 'errors'],
    packages: NODE,
  },
  pki: {
    paths: ['core/pki/'],
    runsIn: 'the service, Node',
    purpose: 'PKCS#12, certificates, chains and trust',
    imports: ['time', 'errors'],
    packages: NODE,
  },
  xml: {
    paths: ['core/xml/'],
    runsIn: 'the service, Node',
    purpose: 'the nesting limit every XML reader shares, enforced while streaming',
    imports: [],
    packages: NODE,
  },
  io: {
    paths: ['core/io/'],
    runsIn: 'the service, Node',
    purpose: 'byte sources, encrypted spool files, sinks',
    imports: ['errors'],
    packages: NODE,
  },

  // ── beside the product ───────────────────────────────────────────────────────────────────────────────────────
  intermediary: {
    paths: ['intermediary/'],
    runsIn: 'Node (demo, tests, postfach intermediary/send)',
    purpose: 'the local OSCI intermediary, the sender and the generator of synthetic applications',
    // the generator's application PDFs use the export's embedded fonts
    imports: ['osci', 'pki', 'io', 'export', 'errors'],
    packages: NODE,
  },
  bench: {
    paths: ['bench/'],
    runsIn: 'Node',
    purpose: 'measurements (npm run bench)',
    imports: ANY_PART,
    packages: NODE,
  },
  tests: {
    paths: ['tests/'],
    runsIn: 'Node (Vitest)',
    purpose: 'the tests',
    imports: ANY_PART,
    packages: [...NODE, 'electron'],
  },
  tooling: {
    paths: ['build/', 'scripts/', 'eslint.config.ts', 'vitest.config.ts', 'renderer/vite.config.ts'],
    runsIn: 'Node (build, lint, packaging)',
    purpose: 'build scripts, bundler and lint configuration',
    imports: ANY_PART,
    packages: [...NODE, 'electron'],
  },
};

/**
 * Imports the structure does not want and a later, planned change removes (issue 11's later sections). Each entry
 * names the importing files, the parts they may import from until then, why, and what removes it. The rule reports
 * a file and part no import needs any more, so the list only shrinks.
 */
export interface LayerException {
  readonly from: readonly string[];
  readonly to: readonly PartName[];
  /** Only `import type` is excused. */
  readonly typesOnly?: boolean;
  readonly reason: string;
  readonly removedBy: string;
}

/** None left: `postfach demo`, the last, goes through the contract since issue 11 (contract area "demo"). */
export const EXCEPTIONS: readonly LayerException[] = [];
