/**
 * The ONE declaration of the settings local IT can preconfigure: key, type, limits, default, registry value name,
 * group-policy category and the German/English descriptions. Everything else is derived from it: the validation of
 * every layer (core/config/layers.ts), the ADMX/ADML templates (core/config/admx.ts → build/policy/), the JSON
 * schema of the machine file and the table in docs/betrieb.md.
 *
 * No Node and no DOM here (the renderer may import the declarations to label locked settings).
 */
import { z } from 'zod';
import { DEFAULT_OFFICE_TIME_ZONE, isTimeZone } from '../time/office-time.js';

export type SettingKind = 'url' | 'text' | 'path' | 'pathList' | 'certificateFile' | 'certificateFiles' | 'integer' | 'boolean' | 'enum';
export type SettingCategory = 'connection' | 'network' | 'storage' | 'security' | 'ui';

export interface SettingDeclaration {
  readonly key: string;
  readonly kind: SettingKind;
  /** Registry value name under the policy key (PascalCase, as ADMX writes it). */
  readonly policyName: string;
  readonly category: SettingCategory;
  /** The caseworker may change it in the program (when no layer above locks it). */
  readonly userEditable: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** Display names of the enum values, in the order of `values`. */
  readonly valueNames?: { readonly de: readonly string[]; readonly en: readonly string[] };
  readonly default?: string | number | boolean | readonly string[];
  readonly title: { readonly de: string; readonly en: string };
  readonly description: { readonly de: string; readonly en: string };
}

const url = (protocols: readonly string[]) =>
  z
    .string()
    .max(2000)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `eine URL mit ${protocols.join(' oder ')}`,
    );

export const SETTINGS = [
  {
    key: 'intermediaryUrl',
    kind: 'url',
    policyName: 'IntermediaryUrl',
    category: 'connection',
    userEditable: true,
    title: { de: 'Adresse des OSCI-Intermediärs', en: 'OSCI intermediary address' },
    description: {
      de: 'Die URL des OSCI-Intermediärs, bei dem das Postfach der Kommune liegt (https://…). Festgelegt kann sie in der Einrichtung nicht geändert werden.',
      en: 'The URL of the OSCI intermediary that holds the municipality’s mailbox (https://…). When set here it cannot be changed in the set-up.',
    },
  },
  {
    key: 'intermediaryCertificateFile',
    kind: 'certificateFile',
    policyName: 'IntermediaryCertificateFile',
    category: 'connection',
    userEditable: true,
    title: { de: 'Verschlüsselungszertifikat des Intermediärs', en: 'Intermediary encryption certificate' },
    description: {
      de: 'Pfad zu einer Zertifikatsdatei (.cer/.crt/.pem) des Intermediärs; Anfragen werden für dieses Zertifikat verschlüsselt. Umgebungsvariablen wie %ProgramData% sind erlaubt.',
      en: 'Path to a certificate file (.cer/.crt/.pem) of the intermediary; requests are encrypted for it. Environment variables such as %ProgramData% may be used.',
    },
  },
  {
    key: 'intermediarySignerFiles',
    kind: 'certificateFiles',
    policyName: 'IntermediarySignerFiles',
    category: 'connection',
    userEditable: true,
    title: { de: 'Signaturzertifikat oder CA des Intermediärs', en: 'Intermediary signer certificate or CA' },
    description: {
      de: 'Zertifikatsdateien, von denen jede Antwort des Intermediärs signiert sein muss (das Zertifikat selbst oder die CA, zu der es gehört); eine Datei je Zeile. Ohne Angabe: das Verschlüsselungszertifikat.',
      en: 'Certificate files one of which must have signed every response of the intermediary (the certificate itself or its CA); one file per line. Default: the encryption certificate.',
    },
  },
  {
    key: 'trustedCaFiles',
    kind: 'certificateFiles',
    policyName: 'TrustedCaFiles',
    category: 'security',
    userEditable: true,
    title: { de: 'Vertrauenswürdige CAs für Absendersignaturen', en: 'Trusted CAs for sender signatures' },
    description: {
      de: 'CA-Zertifikate, deren Zertifikate bei Signaturen der Absender als „vertrauenswürdig“ gelten; eine Datei je Zeile.',
      en: 'CA certificates whose certificates count as “trusted” for sender signatures; one file per line.',
    },
  },
  {
    key: 'tlsCaFiles',
    kind: 'certificateFiles',
    policyName: 'TlsCaFiles',
    category: 'network',
    userEditable: true,
    title: { de: 'Zusätzliche CAs für HTTPS', en: 'Additional CAs for HTTPS' },
    description: {
      de: 'CA-Zertifikate, denen bei der HTTPS-Verbindung zum Intermediär zusätzlich zum Zertifikatspeicher des Systems vertraut wird (z. B. die CA eines TLS-prüfenden Proxys); eine Datei je Zeile.',
      en: 'CA certificates trusted for the HTTPS connection to the intermediary in addition to the system’s certificate store (e.g. the CA of a TLS-inspecting proxy); one file per line.',
    },
  },
  {
    key: 'proxyMode',
    kind: 'enum',
    policyName: 'ProxyMode',
    category: 'network',
    userEditable: false,
    values: ['system', 'direct', 'fixed', 'pac'],
    valueNames: {
      de: ['Proxy-Einstellungen des Systems', 'Ohne Proxy', 'Fester Proxy (ProxyUrl)', 'Automatische Konfiguration (ProxyPacUrl)'],
      en: ['System proxy settings', 'No proxy', 'Fixed proxy (ProxyUrl)', 'Automatic configuration (ProxyPacUrl)'],
    },
    default: 'system',
    title: { de: 'Proxy-Modus', en: 'Proxy mode' },
    description: {
      de: 'Wie der Intermediär erreicht wird: über die Proxy-Einstellungen des Systems (Desktop-Programm: Windows-Einstellungen; Kommandozeile: HTTPS_PROXY), direkt, über einen festen Proxy oder über eine PAC-Datei.',
      en: 'How the intermediary is reached: through the system’s proxy settings (desktop app: Windows settings; command line: HTTPS_PROXY), directly, through a fixed proxy or through a PAC file.',
    },
  },
  {
    key: 'proxyUrl',
    kind: 'url',
    policyName: 'ProxyUrl',
    category: 'network',
    userEditable: false,
    title: { de: 'Fester Proxy', en: 'Fixed proxy' },
    description: {
      de: 'Der Proxy für den Modus „fest“, z. B. http://proxy.kommune.local:3128; mit Anmeldung (Basic) als http://benutzer:passwort@proxy:3128. Richtlinien sind für alle Benutzer des PCs lesbar: ein technisches Konto verwenden.',
      en: 'The proxy for the “fixed” mode, e.g. http://proxy.example.local:3128; with Basic authentication as http://user:password@proxy:3128. Policies can be read by every user of the PC: use a technical account.',
    },
  },
  {
    key: 'proxyPacUrl',
    kind: 'url',
    policyName: 'ProxyPacUrl',
    category: 'network',
    userEditable: false,
    title: { de: 'Adresse der PAC-Datei', en: 'PAC file address' },
    description: {
      de: 'Die Adresse der Proxy-Autokonfiguration (PAC) für den Modus „pac“ (http://, https:// oder file:///). Sie wird in einer abgeschotteten JavaScript-Umgebung ausgewertet.',
      en: 'The address of the proxy auto-configuration (PAC) file for the “pac” mode (http://, https:// or file:///). It is evaluated in a sandboxed JavaScript environment.',
    },
  },
  {
    key: 'storeFolder',
    kind: 'path',
    policyName: 'StoreFolder',
    category: 'storage',
    userEditable: false,
    title: { de: 'Ordner des Datenspeichers', en: 'Data store folder' },
    description: {
      de: 'Der Ordner, in dem der verschlüsselte Datenspeicher (postfach.db und Begleitdateien) liegt. Standard: der Datenordner des Benutzers (%APPDATA%\\OSCI-Postfach). Umgebungsvariablen sind erlaubt. Kein Netzlaufwerk, das von mehreren PCs zugleich genutzt wird.',
      en: 'The folder holding the encrypted data store (postfach.db and its companion files). Default: the user’s data folder (%APPDATA%\\OSCI-Postfach). Environment variables may be used. No network share used from several PCs at once.',
    },
  },
  {
    key: 'fetchIntervalMinutes',
    kind: 'integer',
    policyName: 'FetchIntervalMinutes',
    category: 'ui',
    userEditable: true,
    min: 0,
    max: 1440,
    default: 15,
    title: { de: 'Abrufintervall (Minuten)', en: 'Fetch interval (minutes)' },
    description: {
      de: 'Das Programm ruft das Postfach im Hintergrund alle so viele Minuten ab, solange es läuft; 0: nur auf Knopfdruck.',
      en: 'The program fetches the mailbox in the background every so many minutes while it runs; 0: only on request.',
    },
  },
  {
    key: 'retentionTransferredDays',
    kind: 'integer',
    policyName: 'RetentionTransferredDays',
    category: 'storage',
    userEditable: true,
    min: 0,
    max: 36500,
    default: 30,
    title: { de: 'Aufbewahrung nach Übertragung (Tage)', en: 'Retention after transfer (days)' },
    description: {
      de: 'Eine als „übertragen“ markierte Nachricht wird so viele Tage nach der Übertragung gelöscht (außer bei Aufbewahrungssperre).',
      en: 'A message marked “transferred” is deleted this many days after the transfer (unless on legal hold).',
    },
  },
  {
    key: 'retentionTrashDays',
    kind: 'integer',
    policyName: 'RetentionTrashDays',
    category: 'storage',
    userEditable: true,
    min: 0,
    max: 36500,
    default: 30,
    title: { de: 'Aufbewahrung im Papierkorb (Tage)', en: 'Retention in the trash (days)' },
    description: {
      de: 'Eine Nachricht im Papierkorb wird so viele Tage danach endgültig gelöscht (außer bei Aufbewahrungssperre).',
      en: 'A message in the trash is deleted for good this many days later (unless on legal hold).',
    },
  },
  {
    key: 'allowedExportFolders',
    kind: 'pathList',
    policyName: 'AllowedExportFolders',
    category: 'security',
    userEditable: false,
    title: { de: 'Erlaubte Exportordner', en: 'Allowed export folders' },
    description: {
      de: 'Exporte (PDF, XML, Anlagen, Eingangsbestätigung, Protokoll, Sicherung) sind nur in diese Ordner und ihre Unterordner erlaubt; ein Ordner je Zeile. Leer: überallhin.',
      en: 'Exports (PDF, XML, attachments, receipt, audit log, backup) are allowed only into these folders and their subfolders; one folder per line. Empty: anywhere.',
    },
  },
  {
    key: 'language',
    kind: 'enum',
    policyName: 'Language',
    category: 'ui',
    userEditable: true,
    values: ['de', 'en'],
    valueNames: { de: ['Deutsch', 'Englisch'], en: ['German', 'English'] },
    default: 'de',
    title: { de: 'Sprache der Oberfläche', en: 'User interface language' },
    description: { de: 'Die Sprache der Oberfläche und der Meldungen.', en: 'The language of the user interface and its messages.' },
  },
  {
    key: 'officeTimeZone',
    kind: 'text',
    policyName: 'OfficeTimeZone',
    category: 'ui',
    userEditable: false,
    default: DEFAULT_OFFICE_TIME_ZONE,
    title: { de: 'Zeitzone des Amtes', en: 'Office time zone' },
    description: {
      de: 'Die Zeitzone (IANA-Name, z. B. Europe/Berlin), in der das Programm jeden Zeitpunkt anzeigt: Liste, Laufzettel, PDF, Eingangsbestätigung, Protokoll und Kommandozeile – unabhängig von der Zeitzone des PCs. Dokumente, die das Programm verlassen, nennen die Zeitzone. Standard: Europe/Berlin.',
      en: 'The time zone (IANA name, e.g. Europe/Berlin) in which the program shows every moment: list, Laufzettel, PDF, confirmation of receipt, audit log and command line — whatever the PC’s own zone is. Documents that leave the program name the zone. Default: Europe/Berlin.',
    },
  },
  {
    key: 'familyNameFirst',
    kind: 'boolean',
    policyName: 'FamilyNameFirst',
    category: 'ui',
    userEditable: true,
    default: true,
    title: { de: 'Namen als „Nachname, Vorname“', en: 'Names as “Family name, Given name”' },
    description: {
      de: 'Personen werden in Listen, Überschriften, PDF und Suchergebnissen als „Nachname, Vorname“ geschrieben (sonst „Vorname Nachname“); sortiert wird immer nach dem Familiennamen.',
      en: 'Persons are written as “Family name, Given name” in lists, titles, PDFs and search results (otherwise “Given name Family name”); sorting is always by family name.',
    },
  },
  {
    key: 'codeListFolder',
    kind: 'path',
    policyName: 'CodeListFolder',
    category: 'storage',
    userEditable: false,
    title: { de: 'Ordner mit Codelisten (Genericode)', en: 'Folder of code lists (Genericode)' },
    description: {
      de: 'Ein Ordner mit den Codelisten der eingesetzten XSozial-basis-Version als Genericode-Dateien (*.xml, aus XRepository oder dem Onboarding-Paket). Sie werden beim Öffnen des Datenspeichers geprüft und übernommen; mehrere Versionen einer Liste können nebeneinander liegen. Umgebungsvariablen sind erlaubt.',
      en: 'A folder with the code lists of the XSozial-basis version in use as Genericode files (*.xml, from XRepository or the onboarding package). They are checked and taken over when the data store opens; several versions of a list may lie side by side. Environment variables may be used.',
    },
  },
  {
    key: 'handoverFolder',
    kind: 'path',
    policyName: 'HandoverFolder',
    category: 'storage',
    userEditable: false,
    title: { de: 'Übergabeordner für das Fachverfahren', en: 'Hand-over folder for the case system' },
    description: {
      de: 'Ein Ordner, in den das Programm jede neu abgerufene Nachricht genau einmal für das Fachverfahren schreibt: je Nachricht ein Ordner mit dem Antrag als XML und PDF, den Anlagen und manifest.json, danach die Datei <Name>.done. Die Dateien liegen dort unverschlüsselt. Leer: keine Übergabe (Standard). Gilt nicht im Übungsmodus. Umgebungsvariablen sind erlaubt.',
      en: 'A folder into which the program writes every newly fetched message exactly once for the case system: one folder per message with the application as XML and PDF, the attachments and manifest.json, then the file <name>.done. The files lie there unencrypted. Empty: no hand-over (default). Not in training mode. Environment variables may be used.',
    },
  },
  {
    key: 'trainingModeOffered',
    kind: 'boolean',
    policyName: 'TrainingModeOffered',
    category: 'ui',
    userEditable: false,
    default: true,
    title: { de: 'Übungsmodus anbieten', en: 'Offer the training mode' },
    description: {
      de: 'Ob das Programm den Übungsmodus (Demo-Postfach mit erfundenen Anträgen und lokalem Intermediär) anbietet.',
      en: 'Whether the program offers the training mode (a demo mailbox with invented applications and a local intermediary).',
    },
  },
  {
    key: 'refuseSelfSignedMailboxCertificates',
    kind: 'boolean',
    policyName: 'RefuseSelfSignedMailboxCertificates',
    category: 'security',
    userEditable: false,
    default: false,
    title: { de: 'Selbst signierte Postfachzertifikate ablehnen', en: 'Refuse self-signed mailbox certificates' },
    description: {
      de: 'Ein Postfachschlüssel, dessen Zertifikat selbst signiert ist, wird bei der Einrichtung und beim Zertifikatswechsel abgelehnt.',
      en: 'A mailbox key whose certificate is self-signed is refused at set-up and at certificate rotation.',
    },
  },
  {
    key: 'minimumKeyBits',
    kind: 'integer',
    policyName: 'MinimumKeyBits',
    category: 'security',
    userEditable: false,
    min: 1024,
    max: 16384,
    default: 2048,
    title: { de: 'Mindestlänge des Postfachschlüssels (Bit, RSA)', en: 'Minimum mailbox key length (bit, RSA)' },
    description: {
      de: 'Ein kürzerer RSA-Schlüssel wird bei der Einrichtung abgelehnt. Unter 3000 Bit warnt das Programm in jedem Fall (BSI TR-02102).',
      en: 'A shorter RSA key is refused at set-up. Below 3000 bit the program warns in any case (BSI TR-02102).',
    },
  },
] as const satisfies readonly SettingDeclaration[];

export type SettingKey = (typeof SETTINGS)[number]['key'];
export const SETTING_KEYS = SETTINGS.map((s) => s.key) as readonly SettingKey[];

export function declarationOf(key: SettingKey): SettingDeclaration {
  return SETTINGS.find((s) => s.key === key) as SettingDeclaration;
}

/** The values of the settings (after validation); absent: not set in any layer and no default. */
export interface ConfigValues {
  intermediaryUrl?: string;
  intermediaryCertificateFile?: string;
  intermediarySignerFiles?: string[];
  trustedCaFiles?: string[];
  tlsCaFiles?: string[];
  proxyMode: 'system' | 'direct' | 'fixed' | 'pac';
  proxyUrl?: string;
  proxyPacUrl?: string;
  storeFolder?: string;
  fetchIntervalMinutes: number;
  retentionTransferredDays: number;
  retentionTrashDays: number;
  allowedExportFolders: string[];
  language: 'de' | 'en';
  officeTimeZone: string;
  familyNameFirst: boolean;
  codeListFolder?: string;
  /** The hand-over folder for the case system (core/handover/); undefined: no hand-over. */
  handoverFolder?: string;
  trainingModeOffered: boolean;
  refuseSelfSignedMailboxCertificates: boolean;
  minimumKeyBits: number;
}

const pathText = z.string().min(1).max(1000);

/** The zod schema of one setting's value (after conversion from the registry's types). */
export function valueSchema(declaration: SettingDeclaration): z.ZodType {
  switch (declaration.kind) {
    case 'url':
      return declaration.key === 'proxyPacUrl' ? url(['http:', 'https:', 'file:']) : url(['http:', 'https:']);
    case 'text':
      // the office time zone must be one Intl knows: a typo would otherwise surface as a crash when a time is shown
      return declaration.key === 'officeTimeZone' ? z.string().max(100).refine(isTimeZone, 'eine Zeitzone (IANA-Name, z. B. Europe/Berlin)') : z.string().max(2000);
    case 'path':
    case 'certificateFile':
      return pathText;
    case 'pathList':
    case 'certificateFiles':
      return z.array(pathText).max(50);
    case 'integer':
      return z
        .number()
        .int()
        .min(declaration.min ?? 0)
        .max(declaration.max ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return z.boolean();
    case 'enum':
      return z.enum(declaration.values as [string, ...string[]]);
  }
}

/** Where the effective value of a setting comes from. */
export type SettingSource = 'policy' | 'machine' | 'user' | 'machine-default' | 'default' | 'none';
