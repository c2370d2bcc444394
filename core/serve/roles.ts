/**
 * The roles of `postfach serve` and the one declared table of which contract methods each role may call. The
 * server checks it before a call reaches the service (server.ts): a method without an entry here is refused for
 * every role (default deny), so a new contract method stays closed until someone decides who may call it — and
 * tests/serve/roles.test.ts fails until that decision is written down here.
 *
 * Sachbearbeitung: reads and works on the applications (read, übertragen, Checkliste, Aktenzeichen/Notizen,
 * exports, fetch now). Leitung: also what removes or keeps evidence (Papierkorb, endgültig löschen, Aufbewahrung
 * sperren), taking over a colleague's claim in the shared inbox, and the audit log. IT: also the store, the identity, trust, code lists, settings, backups, rotation.
 * What the service itself decides (which store is open, the Übungsmodus) is for nobody through the network.
 */
import type { MethodName } from '../api/contract.js';

export const ROLES = ['sachbearbeitung', 'leitung', 'it'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_WORDS: Readonly<Record<Role, { readonly de: string; readonly en: string }>> = {
  sachbearbeitung: { de: 'Sachbearbeitung', en: 'Caseworker' },
  leitung: { de: 'Leitung', en: 'Head of office' },
  it: { de: 'IT', en: 'IT' },
};

const ALL: readonly Role[] = ROLES;
const LEAD: readonly Role[] = ['leitung', 'it'];
const IT: readonly Role[] = ['it'];
const NOBODY: readonly Role[] = [];

/**
 * Every contract method and who may call it through the service. Partial on purpose: the check below treats a
 * missing method as "nobody"; the test demands an entry for each method of the contract.
 */
export const ROLE_TABLE: Readonly<Partial<Record<MethodName, readonly Role[]>>> = {
  // program and settings
  'app.info': ALL,
  'settings.get': ALL,
  'settings.set': IT,
  'config.get': IT,
  // the store: opened by the service at its start; never opened, closed or created through the network
  'store.status': ALL,
  'store.create': NOBODY,
  'store.open': NOBODY,
  'store.close': NOBODY,
  'store.addProtector': NOBODY,
  'store.setPassword': IT,
  'store.renewRecoveryKey': IT,
  // identity and connection
  'identity.get': ALL,
  'identity.inspectKeyFile': IT,
  'identity.setup': IT,
  'identity.updateConnection': IT,
  'mailbox.testConnection': IT,
  // fetching: on demand by anyone (the service runs one fetch at a time)
  'mailbox.fetch': ALL,
  'mailbox.cancelFetch': ALL,
  // messages
  'messages.list': ALL,
  'messages.counts': ALL,
  'messages.detail': ALL,
  'messages.documentChunk': ALL,
  'messages.documentActiveContent': ALL,
  'messages.value': ALL,
  'messages.setRead': ALL,
  'messages.setTransferred': ALL,
  'messages.setChecklist': ALL,
  'messages.setCaseWork': ALL,
  'messages.export': ALL,
  'messages.recordPrinted': ALL,
  // the shared inbox: everyone claims, releases and hands to a colleague what is free or their own; taking over a
  // colleague's claim is for Leitung (and IT): holidays and sick days, audited with both names. While a colleague
  // holds an application, "übertragen" is refused to the others — the Leitung takes it over first.
  'inbox.claim': ALL,
  'inbox.release': ALL,
  'inbox.hand': ALL,
  'inbox.takeOver': LEAD,
  'inbox.item': ALL,
  'inbox.people': ALL,
  // the service's own: account changes into the audit log (run.ts calls it directly, never through the network)
  'serve.recordAccountChange': NOBODY,
  'messages.setTrashed': LEAD,
  'messages.setLegalHold': LEAD,
  'messages.deletePermanently': LEAD,
  // audit log and retention
  'audit.list': LEAD,
  'audit.exportCsv': LEAD,
  'audit.verify': LEAD,
  'retention.settings': LEAD,
  'retention.updateSettings': IT,
  'retention.plan': LEAD,
  'retention.apply': IT,
  // operations
  'backup.create': IT,
  'backup.verify': IT,
  'backup.restore': NOBODY,
  'rotation.status': IT,
  'rotation.stage': IT,
  'rotation.run': IT,
  'rotation.cancel': IT,
  'abnahme.create': IT,
  // the hand-over folder for the case system: the service hands over after each fetch by itself; a run or a
  // repeat on request is for Leitung and IT (a repeat writes a second copy the case system will read)
  'handover.run': LEAD,
  'handover.again': LEAD,
  'trust.list': ALL,
  'trust.inspectFile': IT,
  'trust.add': IT,
  'trust.remove': IT,
  'codelists.list': ALL,
  'codelists.import': IT,
  // the UI's own area: state and layout for everyone (the service chose the real mailbox at its start, so
  // `resume` only reports); uploads (key and certificate files) for IT; the Übungsmodus and the choice of
  // mailbox are the service's, not a person's
  'workspace.state': ALL,
  'workspace.resume': ALL,
  'workspace.startTraining': NOBODY,
  'workspace.stopTraining': NOBODY,
  'workspace.chooseReal': NOBODY,
  'workspace.recordFetch': ALL,
  'workspace.uploadFile': IT,
  'workspace.discardUploads': IT,
  'workspace.createDownload': ALL,
  'workspace.downloadFiles': ALL,
  'workspace.readDownload': ALL,
  'workspace.releaseDownload': ALL,
  'workspace.layout': ALL,
  'workspace.setLayout': ALL,
  'workspace.licenses': ALL,
  // `postfach demo`'s demo mailbox in the service's data folder: the command line's only (the service refuses it
  // elsewhere too), never through the network
  'demo.start': NOBODY,
  'demo.stop': NOBODY,
  // shell methods: answered by the browser mode itself (with "only in the desktop program")
  'dialog.openFile': ALL,
  'dialog.saveFile': ALL,
  'window.openMessage': ALL,
  'window.openDocument': ALL,
  'document.openExternally': ALL,
  'window.capture': ALL,
};

/** May a person with this role call the method? Unknown methods and methods without an entry: no. */
export function mayCall(role: Role, method: string, table: Readonly<Partial<Record<string, readonly Role[]>>> = ROLE_TABLE): boolean {
  if (!Object.hasOwn(table, method)) return false;
  return table[method]?.includes(role) ?? false;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
