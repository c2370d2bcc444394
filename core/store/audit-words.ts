/**
 * The audit log in words. An entry is stored as a stable action code and its parameters (`detail`: versioned JSON
 * `{"v":1,…}` since schema 9) — never as a sentence; the sentence is made when the entry is shown, in German or
 * English, from the code and the parameters. Entries written before (free text such as "wrappers=recovery,password",
 * "attachments=2 content=file", "mailbox identity set: cipher certificate sha256=…") are read by the parser below
 * into the same parameters: the hash chain forbids rewriting them, so the old form is understood where it is
 * read. A detail neither form explains is shown as written, after the action's words.
 *
 * Kept together as one module of words for the audit area (the catalog of issue 11 takes them over).
 */
import { plural } from '../words/plural.js';
import { isAuditAction, type AuditAction } from './audit-actions.js';

export type AuditParams = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface Words {
  readonly de: string;
  readonly en: string;
}

/** The detail of a new entry: its parameters as versioned JSON (ids, codes, counts, fingerprints — no names). */
export function auditDetail(params: AuditParams): string {
  return JSON.stringify({ v: 1, ...params });
}

/** The parameters of an entry: from the JSON form, or parsed from the free text written before schema 9. */
export function auditParams(action: string, detail: string | null): { params: AuditParams; legacy: boolean; understood: boolean } {
  if (detail === null || detail === '') return { params: {}, legacy: false, understood: true };
  if (detail.startsWith('{')) {
    try {
      const parsed = JSON.parse(detail) as Record<string, unknown>;
      if (parsed.v === 1) {
        const { v: _v, ...rest } = parsed;
        return { params: rest as AuditParams, legacy: false, understood: true };
      }
    } catch {
      // not JSON after all: read as free text below
    }
  }
  const params = legacyParams(action, detail);
  return params === undefined ? { params: {}, legacy: true, understood: false } : { params, legacy: true, understood: true };
}

const SHA = '([0-9A-Fa-f:]{16,})';

function legacyParams(action: string, detail: string): AuditParams | undefined {
  let m: RegExpExecArray | null;
  switch (action) {
    case 'store-created':
      m = /^wrappers=(.*)$/.exec(detail);
      return m ? { wrappers: m[1]!.split(',').filter((w) => w !== '') } : undefined;
    case 'fetched': {
      const tokens = detail.split(' ');
      const out: Record<string, string | number | boolean> = {};
      for (const t of tokens) {
        if ((m = /^attachments=(\d+)$/.exec(t))) out.attachments = Number(m[1]);
        else if ((m = /^content=(inline|file)$/.exec(t))) out.content = m[1]!;
        else if (t === 'nicht-lesbar') out.unreadable = true;
        else return undefined;
      }
      return out;
    }
    case 'exported':
      return /^[a-z-]{1,40}$/.test(detail) ? { format: detail } : undefined;
    case 'retention-deleted':
      m = /^reason=(transferred|trash)$/.exec(detail);
      return m ? { reason: m[1]! } : undefined;
    case 'settings-changed': {
      if ((m = new RegExp(`^mailbox identity set: cipher certificate sha256=${SHA}$`).exec(detail))) return { event: 'identity-set', sha256: m[1]! };
      if (detail === 'mailbox connection changed') return { event: 'connection-changed' };
      if ((m = new RegExp(`^mailbox key rotation started: new cipher certificate sha256=${SHA}$`).exec(detail))) return { event: 'rotation-started', sha256: m[1]! };
      if (detail === 'mailbox key rotation cancelled') return { event: 'rotation-cancelled' };
      if ((m = new RegExp(`^mailbox key rotated: cipher certificate sha256=${SHA} retired, sha256=${SHA} in force$`).exec(detail)))
        return { event: 'rotated', retired: m[1]!, inForce: m[2]! };
      const changes = detail.split(' ').map((t) => /^(retention\.(?:transferredDays|trashDays))=(\d+)→(\d+)$/.exec(t));
      if (changes.every((c) => c !== null)) return { event: 'retention', changes: changes.map((c) => `${c[1]}=${c[2]}→${c[3]}`) };
      return undefined;
    }
    case 'key-wrapper-changed':
      if (detail === 'password set') return { event: 'password-set' };
      if (detail === 'recovery key renewed') return { event: 'recovery-renewed' };
      if ((m = /^protector added: (.+)$/.exec(detail))) return { event: 'protector-added', id: m[1]! };
      if ((m = /^removed: (.+)$/.exec(detail))) return { event: 'removed', id: m[1]! };
      return undefined;
    default:
      return undefined;
  }
}

const ACTION_WORDS: Readonly<Record<AuditAction, Words>> = {
  'store-created': { de: 'Datenspeicher angelegt', en: 'Data store created' },
  fetched: { de: 'Abgerufen', en: 'Fetched' },
  opened: { de: 'Geöffnet', en: 'Opened' },
  exported: { de: 'Exportiert', en: 'Exported' },
  printed: { de: 'Gedruckt', en: 'Printed' },
  'marked-transferred': { de: 'Als übertragen markiert', en: 'Marked as transferred' },
  'unmarked-transferred': { de: 'Markierung „übertragen“ aufgehoben', en: 'Mark “transferred” removed' },
  trashed: { de: 'In den Papierkorb gelegt', en: 'Moved to the trash' },
  restored: { de: 'Aus dem Papierkorb wiederhergestellt', en: 'Restored from the trash' },
  deleted: { de: 'Endgültig gelöscht', en: 'Deleted for good' },
  'retention-deleted': { de: 'Nach Ablauf der Aufbewahrungsfrist gelöscht', en: 'Deleted when its retention period ended' },
  'legal-hold-set': { de: 'Zur Aufbewahrung gesperrt', en: 'Put on legal hold' },
  'legal-hold-released': { de: 'Aufbewahrungssperre aufgehoben', en: 'Legal hold released' },
  'settings-changed': { de: 'Einstellungen geändert', en: 'Settings changed' },
  'key-wrapper-changed': { de: 'Zugang zum Datenspeicher geändert', en: 'Access to the data store changed' },
  'codelist-imported': { de: 'Codeliste übernommen', en: 'Code list taken over' },
  'trusted-ca-added': { de: 'Vertrauenswürdige Absender-CA hinzugefügt', en: 'Trusted sender CA added' },
  'trusted-ca-removed': { de: 'Vertrauenswürdige Absender-CA entfernt', en: 'Trusted sender CA removed' },
  'trust-reevaluated': { de: 'Vertrauensstatus der Signaturen neu bewertet', en: 'Trust status of the signatures evaluated again' },
  'aktenzeichen-changed': { de: 'Aktenzeichen geändert', en: 'File number changed' },
  'note-changed': { de: 'Notiz geändert', en: 'Note changed' },
  'follow-up-set': { de: 'Wiedervorlage gesetzt', en: 'Follow-up set' },
  'follow-up-cleared': { de: 'Wiedervorlage aufgehoben', en: 'Follow-up removed' },
  'handed-over': { de: 'An das Fachverfahren übergeben', en: 'Handed over to the case system' },
  'handover-refused': { de: 'Übergabe an das Fachverfahren nicht möglich', en: 'Hand-over to the case system not possible' },
  claimed: { de: 'In Bearbeitung genommen', en: 'Claimed for work' },
  'claim-released': { de: 'Bearbeitung freigegeben', en: 'Released from work' },
  'claim-handed': { de: 'An Kollegin oder Kollegen übergeben', en: 'Handed to a colleague' },
  'claim-taken-over': { de: 'Bearbeitung übernommen', en: 'Work taken over' },
  'account-changed': { de: 'Konto des Abrufdienstes geändert', en: 'Account of the fetch service changed' },
  'signed-in': { de: 'Am Abrufdienst angemeldet', en: 'Signed in to the fetch service' },
  'sign-in-failed': { de: 'Anmeldung am Abrufdienst fehlgeschlagen', en: 'Sign-in to the fetch service failed' },
};

/** Why a sign-in to postfach serve was refused (core/serve/accounts.ts); the password typed is never recorded. */
const SIGN_IN_REFUSALS: Readonly<Record<string, Words>> = {
  'wrong-password': { de: 'falsches Passwort', en: 'wrong password' },
  'unknown-account': { de: 'Konto unbekannt', en: 'no such account' },
  locked: { de: 'Konto nach Fehlversuchen vorübergehend gesperrt', en: 'account locked for a while after failed attempts' },
  disabled: { de: 'Konto gesperrt', en: 'account disabled' },
};

/** The roles of postfach serve (core/serve/roles.ts ROLE_WORDS; the store does not import the service). */
const ACCOUNT_ROLES: Readonly<Record<string, Words>> = {
  sachbearbeitung: { de: 'Sachbearbeitung', en: 'Caseworker' },
  leitung: { de: 'Leitung', en: 'Head of office' },
  it: { de: 'IT', en: 'IT' },
};

const CA_ORIGINS: Readonly<Record<string, Words>> = {
  import: { de: 'vom Amt importiert', en: 'imported by the office' },
  setup: { de: 'bei der Einrichtung importiert', en: 'imported at set-up' },
  migrated: { de: 'aus der früheren Verbindung übernommen', en: 'taken over from the earlier connection' },
};

const REEVALUATION_REASONS: Readonly<Record<string, Words>> = {
  'ca-added': { de: 'CA hinzugefügt', en: 'CA added' },
  'ca-removed': { de: 'CA entfernt', en: 'CA removed' },
  'ca-set-changed': { de: 'CA-Liste geändert', en: 'CA list changed' },
};

const EXPORT_FORMATS: Readonly<Record<string, Words>> = {
  pdf: { de: 'Als PDF exportiert', en: 'Exported as PDF' },
  xml: { de: 'Als XML exportiert', en: 'Exported as XML' },
  attachments: { de: 'Anhänge exportiert', en: 'Attachments exported' },
  receipt: { de: 'Eingangsbestätigung exportiert', en: 'Receipt exported' },
  abnahmeprotokoll: { de: 'Abnahmeprotokoll erstellt', en: 'Acceptance record created' },
};

const RETENTION_SETTINGS: Readonly<Record<string, Words>> = {
  'retention.transferredDays': { de: 'Aufbewahrung nach Übertragung', en: 'Retention after transfer' },
  'retention.trashDays': { de: 'Aufbewahrung im Papierkorb', en: 'Retention in the trash' },
};

/** A SHA-256 fingerprint shortened for reading (the CSV keeps the full one in the code column). */
function short(fp: unknown): string {
  const hex = String(fp).replace(/:/g, '').toUpperCase();
  return hex.length > 16 ? `${hex.slice(0, 16)}…` : hex;
}

function wrapperWords(id: string): Words {
  if (id === 'password') return { de: 'Passwort', en: 'password' };
  if (id === 'recovery') return { de: 'Wiederherstellungsschlüssel', en: 'recovery key' };
  const user = /^[a-z-]+:(.+)$/.exec(id)?.[1];
  return user ? { de: `Schlüsselspeicher des Betriebssystems (${user})`, en: `operating system key store (${user})` } : { de: id, en: id };
}

const join = (parts: readonly Words[], de = ', ', en = ', '): Words => ({ de: parts.map((p) => p.de).join(de), en: parts.map((p) => p.en).join(en) });
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** The words of what the parameters add to the action, or undefined where the action says it all. */
function specific(action: string, p: AuditParams): Words | undefined {
  switch (action) {
    case 'store-created': {
      const ways = list(p.wrappers).map(wrapperWords);
      return ways.length === 0 ? undefined : { de: `Datenspeicher angelegt; Zugang mit ${join(ways).de}`, en: `Data store created; access by ${join(ways).en}` };
    }
    case 'fetched': {
      const n = typeof p.attachments === 'number' ? p.attachments : 0;
      const attachments: Words | undefined =
        n > 0 ? { de: `mit ${n} ${plural('de', n, 'OSCI-Anhang', 'OSCI-Anhängen')}`, en: `with ${n} ${plural('en', n, 'OSCI attachment', 'OSCI attachments')}` } : undefined;
      const unreadable: Words | undefined = p.unreadable === true ? { de: 'nicht lesbar', en: 'not readable' } : undefined;
      const extra = [attachments, unreadable].filter((w): w is Words => w !== undefined);
      return extra.length === 0 ? undefined : { de: `Abgerufen, ${join(extra).de}`, en: `Fetched, ${join(extra).en}` };
    }
    case 'exported':
      return typeof p.format === 'string' ? (EXPORT_FORMATS[p.format] ?? { de: `Exportiert (${p.format})`, en: `Exported (${p.format})` }) : undefined;
    case 'retention-deleted':
      if (p.reason === 'transferred')
        return { de: 'Nach Ablauf der Aufbewahrungsfrist gelöscht (war als übertragen markiert)', en: 'Deleted when its retention period ended (was marked as transferred)' };
      if (p.reason === 'trash') return { de: 'Nach Ablauf der Aufbewahrungsfrist gelöscht (lag im Papierkorb)', en: 'Deleted when its retention period ended (was in the trash)' };
      return undefined;
    case 'settings-changed':
      switch (p.event) {
        case 'identity-set':
          return { de: `Postfachschlüssel eingerichtet (Zertifikat SHA-256 ${short(p.sha256)})`, en: `Mailbox key set up (certificate SHA-256 ${short(p.sha256)})` };
        case 'connection-changed':
          return { de: 'Verbindung zum Intermediär geändert', en: 'Connection to the intermediary changed' };
        case 'rotation-started':
          return { de: `Zertifikatswechsel begonnen (neues Zertifikat SHA-256 ${short(p.sha256)})`, en: `Certificate change started (new certificate SHA-256 ${short(p.sha256)})` };
        case 'rotation-cancelled':
          return { de: 'Zertifikatswechsel abgebrochen', en: 'Certificate change cancelled' };
        case 'rotated':
          return {
            de: `Zertifikat gewechselt (bisher SHA-256 ${short(p.retired)}, jetzt SHA-256 ${short(p.inForce)})`,
            en: `Certificate changed (was SHA-256 ${short(p.retired)}, now SHA-256 ${short(p.inForce)})`,
          };
        case 'handover-started':
          return {
            de: `Übergabeordner für das Fachverfahren eingeschaltet (ab Nachricht ${String(p.fromDelivery)})`,
            en: `Hand-over folder for the case system switched on (from message ${String(p.fromDelivery)})`,
          };
        case 'retention': {
          const parts = list(p.changes).flatMap((c) => {
            const m = /^([\w.]+)=(\d+)→(\d+)$/.exec(c);
            const what = m ? RETENTION_SETTINGS[m[1]!] : undefined;
            return m && what ? [{ de: `${what.de} von ${m[2]} auf ${m[3]} Tage`, en: `${what.en} from ${m[2]} to ${m[3]} days` }] : [];
          });
          return parts.length === 0 ? undefined : { de: `Einstellungen geändert: ${join(parts, '; ', '; ').de}`, en: `Settings changed: ${join(parts, '; ', '; ').en}` };
        }
        default:
          return undefined;
      }
    case 'key-wrapper-changed':
      switch (p.event) {
        case 'password-set':
          return { de: 'Passwort für den Datenspeicher gesetzt', en: 'Password for the data store set' };
        case 'recovery-renewed':
          return { de: 'Neuer Wiederherstellungsschlüssel erstellt (der alte gilt nicht mehr)', en: 'New recovery key created (the old one no longer works)' };
        case 'protector-added': {
          const w = wrapperWords(String(p.id));
          return { de: `Zugang hinzugefügt: ${w.de}`, en: `Access added: ${w.en}` };
        }
        case 'removed': {
          const w = wrapperWords(String(p.id));
          return { de: `Zugang entfernt: ${w.de}`, en: `Access removed: ${w.en}` };
        }
        default:
          return undefined;
      }
    case 'codelist-imported': {
      const how: Words = p.result === 'replaced' ? { de: 'ersetzt', en: 'replaced' } : { de: 'neu', en: 'new' };
      const from: Words = p.origin === 'folder' ? { de: 'aus dem Codelisten-Ordner', en: 'from the code list folder' } : { de: 'von Hand', en: 'by hand' };
      return {
        de: `Codeliste ${String(p.list)}, Version ${String(p.version)} übernommen (${how.de}, ${from.de})`,
        en: `Code list ${String(p.list)}, version ${String(p.version)} taken over (${how.en}, ${from.en})`,
      };
    }
    case 'aktenzeichen-changed':
    case 'note-changed': {
      const what: Words = action === 'note-changed' ? { de: 'Notiz', en: 'Note' } : { de: 'Aktenzeichen', en: 'File number' };
      if (p.removed === true) return { de: `${what.de} entfernt`, en: `${what.en} removed` };
      return typeof p.length === 'number' ? { de: `${what.de} geändert (${p.length} Zeichen)`, en: `${what.en} changed (${p.length} characters)` } : undefined;
    }
    case 'follow-up-set': {
      const m = typeof p.due === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.due) : null;
      return m ? { de: `Wiedervorlage am ${m[3]}.${m[2]}.${m[1]} gesetzt`, en: `Follow-up set for ${m[1]}-${m[2]}-${m[3]}` } : undefined;
    }
    case 'handed-over':
      return p.again === true
        ? { de: `Erneut an das Fachverfahren übergeben (Ordner ${String(p.folder)})`, en: `Handed over to the case system again (folder ${String(p.folder)})` }
        : { de: `An das Fachverfahren übergeben (Ordner ${String(p.folder)})`, en: `Handed over to the case system (folder ${String(p.folder)})` };
    case 'claim-handed':
      return typeof p.to === 'string'
        ? {
            de: `An ${p.to} übergeben${typeof p.from === 'string' ? ` (bisher bei ${p.from})` : ''}`,
            en: `Handed to ${p.to}${typeof p.from === 'string' ? ` (was with ${p.from})` : ''}`,
          }
        : undefined;
    case 'account-changed': {
      const account = String(p.account);
      const role = ACCOUNT_ROLES[String(p.role)] ?? { de: String(p.role), en: String(p.role) };
      switch (p.event) {
        case 'created':
          return { de: `Konto ${account} angelegt (Rolle ${role.de})`, en: `Account ${account} created (role ${role.en})` };
        case 'disabled':
          return { de: `Konto ${account} gesperrt`, en: `Account ${account} disabled` };
        case 'enabled':
          return { de: `Konto ${account} wieder freigegeben`, en: `Account ${account} enabled again` };
        case 'password-set':
          return { de: `Neues Passwort für Konto ${account} gesetzt, Fehlversuchssperre aufgehoben`, en: `New password set for account ${account}, lockout lifted` };
        case 'role-changed':
          return { de: `Rolle von Konto ${account} auf ${role.de} geändert`, en: `Role of account ${account} changed to ${role.en}` };
        case 'locked':
          return { de: `Konto ${account} nach mehreren Fehlversuchen vorübergehend gesperrt`, en: `Account ${account} locked for a while after several failed attempts` };
        default:
          return undefined;
      }
    }
    case 'signed-in':
      return { de: `Konto ${String(p.account)} angemeldet`, en: `Account ${String(p.account)} signed in` };
    case 'sign-in-failed': {
      const who = typeof p.account === 'string' ? { de: `Konto ${p.account}`, en: `account ${p.account}` } : { de: 'unbekanntes Konto', en: 'unknown account' };
      const why = SIGN_IN_REFUSALS[String(p.reason)] ?? { de: String(p.reason), en: String(p.reason) };
      return { de: `Anmeldung fehlgeschlagen: ${who.de} (${why.de})`, en: `Sign-in failed: ${who.en} (${why.en})` };
    }
    case 'claim-taken-over':
      return typeof p.from === 'string' ? { de: `Bearbeitung von ${p.from} übernommen`, en: `Work taken over from ${p.from}` } : undefined;
    case 'handover-refused':
      return {
        de: `Übergabe an das Fachverfahren nicht möglich (${String(p.reason)}): nur eine Fehlerdatei geschrieben`,
        en: `Hand-over to the case system not possible (${String(p.reason)}): only an error file written`,
      };
    case 'trusted-ca-added': {
      const origin = CA_ORIGINS[String(p.origin)] ?? { de: String(p.origin), en: String(p.origin) };
      return { de: `Vertrauenswürdige Absender-CA SHA-256 ${short(p.sha256)} hinzugefügt (${origin.de})`, en: `Trusted sender CA SHA-256 ${short(p.sha256)} added (${origin.en})` };
    }
    case 'trusted-ca-removed':
      return { de: `Vertrauenswürdige Absender-CA SHA-256 ${short(p.sha256)} entfernt`, en: `Trusted sender CA SHA-256 ${short(p.sha256)} removed` };
    case 'trust-reevaluated': {
      const why = REEVALUATION_REASONS[String(p.reason)] ?? { de: String(p.reason), en: String(p.reason) };
      return {
        de: `Vertrauensstatus neu bewertet (${why.de}): ${String(p.checked)} Nachrichten geprüft, ${String(p.changed)} geändert`,
        en: `Trust status evaluated again (${why.en}): ${String(p.checked)} messages checked, ${String(p.changed)} changed`,
      };
    }
    default:
      return undefined;
  }
}

/** The action alone in words (the CSV's "Aktion"); an action this program does not know is named by its code. */
export function actionWords(action: string): Words {
  return isAuditAction(action) ? ACTION_WORDS[action] : { de: `Aktion ${action}`, en: `Action ${action}` };
}

/** The entry as a sentence in German and English. */
export function auditWords(action: string, detail: string | null): Words {
  const base = actionWords(action);
  const { params, understood } = auditParams(action, detail);
  if (!understood) return { de: `${base.de} (Angabe: ${detail ?? ''})`, en: `${base.en} (detail: ${detail ?? ''})` };
  return specific(action, params) ?? base;
}
