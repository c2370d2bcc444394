/**
 * The words of reading and copying an application (issue 12) in one place, German and English: names, empty
 * values, copying blocks and addresses, the summary's "Alle Angaben", code lists (Settings, "Über das Programm"),
 * the audit log's filters. Kept apart from messages.*.ts so the catalog of issue 11 can take them over whole.
 */
import { formatCount } from '../format/count.js';
import { useLanguage } from './i18n.js';

const num = (n: number, locale: string) => formatCount(n, locale);

const de = {
  /** One way to write an empty value, everywhere (the same as the engine's "keine Angabe"). */
  noValue: 'keine Angabe',
  copyAddress: 'Adresse kopieren',
  copyAddressOf: (label: string) => `${label} als Adresse kopieren`,
  copiedAddress: 'Adresse kopiert (ein Block: Straße und Hausnummer, PLZ und Ort)',
  copyOptions: 'Weitere Kopieroptionen',
  copyBlockAll: 'Block mit allen Angaben kopieren (auch leere und Kennungen)',
  allDetails: (n: number) => `Alle Angaben (${num(n, 'de-DE')})`,
  technicalClosed: 'Technische Angaben (zum Aufklappen)',
  applicationDate: 'Antragsdatum',
  settings: {
    familyNameFirst: 'Namen als „Nachname, Vorname“',
    familyNameFirstHelp: 'In Listen, Überschriften, PDF und Suchergebnissen. Sortiert wird immer nach dem Familiennamen.',
    saved: 'Einstellung gespeichert',
  },
  codeLists: {
    tab: 'Codelisten',
    heading: 'Codelisten (Texte zu Codes)',
    intro:
      'Codes in Anträgen (z. B. Leistungsart 6070) werden mit ihrem Text gezeigt, wenn die Codeliste in der Version vorliegt, die der Antrag nennt. Die IT kann die Codelisten der eingesetzten XSozial-basis-Version als Genericode-Dateien (XRepository) hier übernehmen oder per Richtlinie einen Ordner festlegen.',
    import: 'Codeliste übernehmen …',
    importing: 'Codeliste wird geprüft …',
    imported: (name: string, version: string) => `Codeliste „${name}“, Version ${version} übernommen.`,
    unchanged: (name: string, version: string) => `Codeliste „${name}“, Version ${version} liegt bereits unverändert vor.`,
    replaced: (name: string, version: string) => `Codeliste „${name}“, Version ${version} ersetzt.`,
    tableLabel: 'Geladene Codelisten',
    name: 'Codeliste',
    uri: 'Kennung (listURI)',
    version: 'Version',
    codes: 'Codes',
    origin: 'Herkunft',
    origins: { shipped: 'mit dem Programm', imported: 'von Hand übernommen', folder: 'aus dem Codelisten-Ordner' },
    source: 'Quelle / Datei',
    none: 'keine Versionsangabe',
    folder: (path: string) => `Codelisten-Ordner (Richtlinie): ${path}`,
    noFolder: 'Kein Codelisten-Ordner per Richtlinie festgelegt.',
    refused: (file: string) => `Nicht übernommen: „${file}“ ist keine gültige Codeliste im Genericode-Format.`,
    needsStore: 'Zum Übernehmen muss der Datenspeicher geöffnet sein.',
  },
  audit: {
    filters: 'Einträge eingrenzen',
    application: 'Antrag (Nr. oder Nachrichten-ID)',
    person: 'Person (Name)',
    from: 'von (Datum)',
    to: 'bis (Datum)',
    apply: 'Eingrenzen',
    reset: 'Alle Einträge',
    onlyApplication: (id: number) => `Nur Antrag Nr. ${num(id, 'de-DE')}`,
    words: 'Was geschah',
    showLog: 'Protokoll dieses Antrags',
  },
};

export type ReadingWords = typeof de;

const en: ReadingWords = {
  noValue: 'not given',
  copyAddress: 'Copy address',
  copyAddressOf: (label: string) => `Copy ${label} as an address`,
  copiedAddress: 'Address copied (one block: street and number, postcode and town)',
  copyOptions: 'More copy options',
  copyBlockAll: 'Copy block with every value (empty ones and ids too)',
  allDetails: (n: number) => `All details (${num(n, 'en-GB')})`,
  technicalClosed: 'Technical details (expand)',
  applicationDate: 'Application date',
  settings: {
    familyNameFirst: 'Names as “Family name, Given name”',
    familyNameFirstHelp: 'In lists, titles, PDFs and search results. Sorting is always by family name.',
    saved: 'Setting saved',
  },
  codeLists: {
    tab: 'Code lists',
    heading: 'Code lists (texts for codes)',
    intro:
      'Codes in applications (e.g. kind of benefit 6070) are shown with their text when the code list is loaded in the version the application names. IT can take over the code lists of the XSozial-basis version in use as Genericode files (XRepository) here, or set a folder by policy.',
    import: 'Take over a code list …',
    importing: 'Checking the code list …',
    imported: (name: string, version: string) => `Code list “${name}”, version ${version} taken over.`,
    unchanged: (name: string, version: string) => `Code list “${name}”, version ${version} is already there unchanged.`,
    replaced: (name: string, version: string) => `Code list “${name}”, version ${version} replaced.`,
    tableLabel: 'Loaded code lists',
    name: 'Code list',
    uri: 'Identifier (listURI)',
    version: 'Version',
    codes: 'Codes',
    origin: 'Origin',
    origins: { shipped: 'shipped with the program', imported: 'taken over by hand', folder: 'from the code list folder' },
    source: 'Source / file',
    none: 'no version',
    folder: (path: string) => `Code list folder (policy): ${path}`,
    noFolder: 'No code list folder set by policy.',
    refused: (file: string) => `Not taken over: “${file}” is not a valid code list in Genericode format.`,
    needsStore: 'The data store must be open to take over a code list.',
  },
  audit: {
    filters: 'Narrow the entries',
    application: 'Application (no. or message ID)',
    person: 'Person (name)',
    from: 'from (date)',
    to: 'to (date)',
    apply: 'Narrow',
    reset: 'All entries',
    onlyApplication: (id: number) => `Only application no. ${num(id, 'en-GB')}`,
    words: 'What happened',
    showLog: 'Log of this application',
  },
};

const WORDS = { de, en } as const;

/** The reading words in the UI's language. */
export function useReadingWords(): ReadingWords {
  return WORDS[useLanguage().language];
}
