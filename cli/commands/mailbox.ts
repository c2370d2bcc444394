/**
 * `postfach fetch`, `list`, `show`, `export` (DESIGN.md's command-line contract, README "Fetching and reading").
 * Every command talks to the engine through the typed contract (cli/mailbox-service.ts). German text by default,
 * `--json` for scripts; exit codes per cli/exit-codes.ts (fetch: 3 when a delivery was stored as "nicht lesbar",
 * 4 when the intermediary cannot be reached).
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { PostfachApi } from '../../core/api/api-types.js';
import type { MethodInput, MethodOutput } from '../../core/api/contract.js';
import type { FetchProgress, FetchResult, MessageListItem } from '../../core/api/contract/mailbox.js';
import { formatPersonName } from '../../core/xsozial/person-names.js';
import { roleWords } from '../../core/api/contract/coverage.js';
import { PostfachError, toPostfachError } from '../../core/errors.js';
import { clipText } from '../../core/text-bounds.js';
import { coverageSentence, inspectionSentence, signatureSentence, wordsOf } from '../../core/domain/words/index.js';
import { unreadableWords } from '../../core/api/contract/unreadable.js';
import { creationCheckWords, expiredSinceWords, isImplausible, JUDGED_AT_RECEIPT_WORDS, receivedInsteadWords } from '../../core/api/contract/legal-time.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { visibleText } from '../../core/visible-text.js';
import { bytes as formatBytes } from '../../core/words/format.js';
import { officeTimeOf } from '../office-time.js';
import { ExitCode, UNREACHABLE_KINDS } from '../exit-codes.js';
import { EXPORT_SERVICE_YOUNG_GENERATION_MB } from '../../core/api/service-limits.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, storeIdOf, withMailboxService } from '../mailbox-service.js';
import { passwordFromEnv, printJson, reportError, runAction } from '../output.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError(`${name}: eine positive ganze Zahl`);
    return n;
  };
}

function storeOptions(command: Command): Command {
  return command
    .requiredOption('--store <path>', 'der Datenspeicher (Datenbankdatei; Schlüssel- und Dateiordner liegen daneben)')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort des Datenspeichers', DEFAULT_STORE_PASSWORD_ENV)
    .option('--json', 'Ausgabe als JSON');
}

interface StoreCli {
  readonly store: string;
  readonly storePasswordEnv: string;
  readonly json?: boolean;
}

/**
 * What the list and `show` say about an Eingang that is not the plausible Creation: the check in words and the
 * time of receipt that stands in for it (empty for a plausible one).
 */
function eingangNote(item: MessageListItem, office: OfficeTime, stated: boolean): string {
  const code = item.creationCheck ?? (item.eingangKnown ? null : 'missing');
  if (code === null || code === 'plausible') return '';
  const at = stated ? office.stated(item.fetchedAt) : office.dateTime(item.fetchedAt);
  const received = receivedInsteadWords({ de: at, en: at }).de;
  return isImplausible(code) || code === 'missing' ? `${creationCheckWords(code).de}; ${received}` : '';
}

// ---- fetch ----

interface FetchCli extends StoreCli {
  readonly intermediary?: string;
  readonly intermediaryCert?: string;
  readonly intermediarySigner: string[];
  readonly p12?: string;
  readonly signatureP12?: string;
  readonly passwordEnv?: string;
  readonly trustedCa: string[];
  readonly tlsCa: string[];
  readonly partialFetchKb?: number;
  readonly timeout?: number;
  readonly max?: number;
}

function progressLine(p: FetchProgress): string {
  const phase: Record<FetchProgress['phase'], string> = {
    connecting: 'Verbindung zum Intermediär',
    fetching: 'Abruf',
    storing: 'Speichern',
    receipts: 'Laufzettel',
    closing: 'Dialog beenden',
    done: 'fertig',
    cancelled: 'abgebrochen',
    failed: 'fehlgeschlagen',
  };
  return `${phase[p.phase]}: ${p.messagesDone} Zustellung(en), ${p.newMessages ?? 0} neu, ${formatBytes(p.bytesDone)} empfangen\n`;
}

/** Seconds with one decimal, written the German way (3,3). */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace('.', ',');
}

function fetchSummary(r: FetchResult): string {
  const lines = [
    r.outcome === 'complete' ? 'Abruf abgeschlossen: Das Postfach ist leer.' : r.outcome === 'cancelled' ? 'Abruf abgebrochen.' : 'Abruf fehlgeschlagen.',
    `  Neu gespeichert:        ${r.newMessages}${r.unreadable > 0 ? ` (davon ${r.unreadable} „nicht lesbar“)` : ''}`,
    `  Bereits vorhanden:      ${r.duplicates}`,
    `  Empfangsbestätigungen:  ${r.receiptsRecorded}`,
    `  Empfangen:              ${formatBytes(r.bytes)} in ${seconds(r.durationMs)} s`,
  ];
  return `${lines.join('\n')}\n`;
}

function exitCodeOf(r: FetchResult): ExitCode {
  if (r.outcome === 'failed') {
    const kind = r.error?.kind;
    // the intermediary could not be reached (safely): network, HTTP errors, TLS refused, proxy refused
    return kind !== undefined && UNREACHABLE_KINDS.has(kind) ? ExitCode.unreachable : ExitCode.failed;
  }
  return r.unreadable > 0 || r.outcome === 'cancelled' ? ExitCode.partial : ExitCode.ok;
}

function registerFetch(program: Command): void {
  storeOptions(
    program
      .command('fetch')
      .description('alle neuen Zustellungen des Postfachs abrufen und im Datenspeicher ablegen (Fortschritt auf stderr)')
      .option('--intermediary <url>', 'Adresse des Intermediärs (ohne: die im Datenspeicher eingerichtete Verbindung)')
      .option('--intermediary-cert <file>', 'Verschlüsselungszertifikat des Intermediärs')
      .option('--intermediary-signer <file>', 'Zertifikat oder CA, die jede Antwort signiert haben muss (Standard: --intermediary-cert), mehrfach möglich', collect, [])
      .option('--p12 <file>', 'Schlüsseldatei des Postfachs (das Verschlüsselungszertifikat ist die Postfach-Identität)')
      .option('--signature-p12 <file>', 'eigene Schlüsseldatei für die Signatur')
      .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort der Schlüsseldateien (Standard: POSTFACH_P12_PASSWORD)')
      .option('--trusted-ca <file>', 'CA, deren Zertifikate für Absender-Signaturen als vertrauenswürdig gelten, mehrfach möglich', collect, [])
      .option('--tls-ca <file>', 'zusätzliche CA für die HTTPS-Verbindung, mehrfach möglich', collect, [])
      .option('--partial-fetch-kb <kb>', 'große Zustellungen in Teilen dieser Größe abrufen (PartialFetchDelivery)', positiveInt('--partial-fetch-kb'))
      .option('--timeout <seconds>', 'Sekunden ohne Fortschritt, bis eine Anfrage aufgegeben wird', positiveInt('--timeout'))
      .option('--max <n>', 'höchstens so viele Zustellungen in diesem Lauf', positiveInt('--max')),
  ).action(async (opts: FetchCli) => {
    const json = opts.json === true;
    await runAction(json, async () => {
      const fromFiles = opts.p12 !== undefined || opts.intermediary !== undefined || opts.intermediaryCert !== undefined;
      if (fromFiles && (opts.p12 === undefined || opts.intermediary === undefined || opts.intermediaryCert === undefined)) {
        reportError(
          new PostfachError(
            'usage',
            { de: '--p12, --intermediary und --intermediary-cert gehören zusammen.', en: '--p12, --intermediary and --intermediary-cert go together.' },
            'incomplete one-off identity',
          ),
          json,
        );
        return ExitCode.usage;
      }
      const identity = fromFiles
        ? {
            keyFile: opts.p12 as string,
            password: passwordFromEnv(opts.passwordEnv ?? 'POSTFACH_P12_PASSWORD'),
            ...(opts.signatureP12 ? { signatureKeyFile: opts.signatureP12 } : {}),
            intermediaryUrl: opts.intermediary as string,
            intermediaryCertificateFile: opts.intermediaryCert as string,
            ...(opts.intermediarySigner.length > 0 ? { intermediarySignerFiles: opts.intermediarySigner } : {}),
            ...(opts.trustedCa.length > 0 ? { trustedCaFiles: opts.trustedCa } : {}),
            ...(opts.tlsCa.length > 0 ? { tlsCaFiles: opts.tlsCa } : {}),
            ...(opts.partialFetchKb ? { partialFetchKb: opts.partialFetchKb } : {}),
            ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}),
          }
        : undefined;
      return withMailboxService(opts.store, async ({ api }) => {
        let last = '';
        const off = api.on('fetch.progress', (p) => {
          const line = progressLine(p);
          if (line !== last) process.stderr.write(line);
          last = line;
        });
        const fetchInput = { ...(identity ? { identity } : {}), ...(opts.max ? { maxDeliveries: opts.max } : {}) };
        // with a one-off identity the fetch goes out beside store.open: its first delivery is fetched and decoded
        // while the store's key is derived, and committed (then acknowledged) once the store is open
        let early: Promise<FetchResult> | undefined;
        const whileOpening = identity
          ? (): void => {
              early = api.call('mailbox.fetch', fetchInput);
              early.catch(() => undefined);
            }
          : undefined;
        try {
          await openStore(api, opts, { identity, ...(whileOpening ? { whileOpening } : {}) });
        } catch (error) {
          // the early fetch ends with the open's error and acknowledged nothing: wait for it, report the open's error
          await early?.catch(() => undefined);
          off();
          // the check before a first fetch: an intermediary that cannot be reached is exit code 4, as in the fetch
          const e = toPostfachError(error);
          if (!UNREACHABLE_KINDS.has(e.kind)) throw e;
          reportError(e, json);
          return ExitCode.unreachable;
        }
        const sent: Promise<FetchResult> | undefined = early;
        let result: FetchResult;
        if (sent === undefined) result = await api.call('mailbox.fetch', fetchInput);
        else {
          try {
            result = await sent;
          } catch (error) {
            // it reached the service before the open was under way: nothing fetched, so sent again, now in order
            if (toPostfachError(error).kind !== 'store-not-open') throw error;
            result = await api.call('mailbox.fetch', fetchInput);
          }
        }
        off();
        if (result.expiry && result.expiry.status !== 'ok') {
          // on stderr also with --json: a script's log keeps it, the JSON carries it in `expiry`
          process.stderr.write(`\nWARNUNG: ${result.expiry.text.de}\n\n`);
        }
        // the hand-over folder could not be written: the deliveries are stored and stay pending (postfach handover)
        if (result.handover?.error)
          process.stderr.write(`\nWARNUNG: ${result.handover.error.message}\n  Technische Angabe: ${result.handover.error.kind}: ${result.handover.error.detail}\n\n`);
        if (json) printJson({ ok: result.outcome !== 'failed', ...result });
        else {
          process.stdout.write(fetchSummary(result));
          if (result.error) process.stderr.write(`Fehler: ${result.error.message}\n  Technische Angabe: ${result.error.kind}: ${result.error.detail}\n`);
          if (result.newMessages > 0 && result.outcome !== 'failed')
            process.stdout.write('Nichts verloren: Jede Zustellung wurde gespeichert, bevor ihr Empfang bestätigt wurde.\n');
        }
        return exitCodeOf(result);
      });
    });
  });
}

// ---- list ----

interface ListCli extends StoreCli {
  readonly search?: string;
  readonly unread?: boolean;
  readonly unreadable?: boolean;
  readonly trash?: boolean;
}

/** A fixed-width column: cut by code points (never inside a surrogate pair), with "…" where asked, and padded. */
function column(text: string, width: number, ellipsis = false): string {
  const chars = [...text];
  if (chars.length <= width) return text.padEnd(width);
  return ellipsis ? `${chars.slice(0, width - 1).join('')}…` : chars.slice(0, width).join('');
}

/** The first applicant as an office files it ("Nachname, Vorname"), hidden characters as tokens, in NFC, cut to the column. */
function applicantCell(item: MessageListItem): string {
  const name = item.applicantNames?.[0];
  const text = name !== undefined ? formatPersonName(name, true) : item.applicants[0];
  if (text === undefined) return item.unreadableKind !== null ? '(nicht lesbar)' : '—';
  return visibleText(clipText(text, 28)).normalize('NFC');
}

/** "nicht lesbar: …" in German words from the kind (contract/unreadable.ts); null when readable. */
function unreadableText(item: MessageListItem): string | null {
  return item.unreadableKind === null ? null : unreadableWords(item.unreadableKind).de;
}

function listLine(item: MessageListItem, office: OfficeTime): string {
  const cells = [
    String(item.id).padStart(5),
    office.dateTime(item.eingang).padEnd(17),
    // values from the message with hidden characters as tokens (a terminal may apply bidi; U+202E would reorder)
    column(applicantCell(item), 28),
    column(visibleText(clipText(item.benefit.text ?? item.benefit.code ?? '—', 36)), 36),
    item.signatureStatus ? wordsOf('de').signatureStatus[item.signatureStatus] : '—',
  ];
  const flags = [
    eingangNote(item, office, false),
    item.isTest ? 'TESTANTRAG' : '',
    item.unread ? 'ungelesen' : '',
    unreadableText(item) ?? '',
    item.legalHold ? 'gesperrt' : '',
  ].filter(Boolean);
  return `${cells.join('  ')}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}\n`;
}

async function allItems(api: PostfachApi, query: MethodInput<'messages.list'>): Promise<MessageListItem[]> {
  const items: MessageListItem[] = [];
  for (let offset = 0; ;) {
    const page = await api.call('messages.list', { ...query, sort: 'eingang', descending: false, offset, limit: 1000 });
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return items;
  }
}

function registerList(program: Command): void {
  storeOptions(
    program
      .command('list')
      .description('die Nachrichten im Datenspeicher, eine Zeile je Nachricht (ältester Eingang zuerst)')
      .option('--search <words>', 'Volltextsuche (Namen, Kennungen, Betreff, Inhalt, Aktenzeichen, Notiz)')
      .option('--unread', 'nur ungelesene')
      .option('--unreadable', 'nur „nicht lesbare“')
      .option('--trash', 'den Papierkorb zeigen'),
  ).action(async (opts: ListCli) => {
    const json = opts.json === true;
    await runAction(json, () =>
      withMailboxService(opts.store, async ({ api }) => {
        await openStore(api, opts);
        const items = await allItems(api, {
          ...(opts.search ? { search: opts.search } : {}),
          ...(opts.unread ? { unread: true } : {}),
          ...(opts.unreadable ? { unreadable: true } : {}),
          ...(opts.trash ? { folder: 'trash' as const } : {}),
        });
        // `applicant` (the first applicant, as the list sorts) beside the full `applicants`, for scripts
        // `unreadableReason`: the German words of `unreadableKind`, as documented for scripts (README "list")
        if (json) printJson(items.map(({ id, ...item }) => ({ id, applicant: item.applicants[0] ?? null, ...item, unreadableReason: unreadableText({ id, ...item }) })));
        else if (items.length === 0) process.stdout.write('Keine Nachrichten.\n');
        else {
          const office = await officeTimeOf(api);
          process.stdout.write(`${'Nr.'.padStart(5)}  ${'Eingang'.padEnd(17)}  ${'Antragsteller/in'.padEnd(28)}  ${'Leistung'.padEnd(36)}  Signatur\n`);
          for (const item of items) process.stdout.write(listLine(item, office));
          // the zone of every time above (the office's, a machine setting), as on every document that leaves the program
          process.stdout.write(`Zeiten in der Zeitzone ${office.zone}.\n`);
          process.stdout.write(`${items.length} Nachricht(en)\n`);
        }
        return ExitCode.ok;
      }),
    );
  });
}

// ---- show ----

type Detail = MethodOutput<'messages.detail'>;

/** ID: the store's number, or the OSCI message id. */
async function detailOf(api: PostfachApi, id: string): Promise<Detail> {
  if (/^\d+$/.test(id) && Number(id) > 0 && Number.isSafeInteger(Number(id))) {
    try {
      return await api.call('messages.detail', { ref: { id: Number(id) } });
    } catch (error) {
      if (!(error instanceof PostfachError && error.kind === 'store-unknown-message')) throw error;
    }
  }
  return api.call('messages.detail', { ref: { messageId: id } });
}

/**
 * What `show` prints of one value at most: a hostile value of 200,000 characters becomes a few lines and a note
 * (`--raw` gives the content in full; `--json` the detail as the UI gets it, long values marked `fullLength`).
 */
const SHOW_VALUE_CHARS = 2000;
const SHOWN_SHORTENED = ' … (gekürzt; vollständig im Inhalt: show --raw)';

/**
 * The office's own notes, as the PDF's Laufzettel states them ("Vermerke des Amtes"), only when something is noted:
 * the Wiedervorlage is a calendar day (no zone), the note keeps its lines, each indented under the label.
 */
function caseWorkLines(caseWork: Detail['caseWork'], l: (label: string, value: string) => void, out: string[]): void {
  if (caseWork.aktenzeichen === null && caseWork.note === null && caseWork.followUpOn === null) return;
  out.push('', 'Vermerke des Amtes');
  if (caseWork.aktenzeichen !== null) l('Aktenzeichen', visibleText(caseWork.aktenzeichen));
  if (caseWork.followUpOn !== null) l('Wiedervorlage', caseWork.followUpOn.split('-').reverse().join('.'));
  if (caseWork.note !== null) l('Notiz', visibleText(caseWork.note, { lineBreaks: true }).replace(/\n/g, `\n${' '.repeat(30)}`));
}

/** `show` speaks German (the office's language), from the one words module (core/domain/words). */
const DE = wordsOf('de');

function detailText(d: Detail, office: OfficeTime): string {
  const time = (iso: string | null | undefined): string => office.stated(iso, { missing: '—' });
  const out: string[] = [];
  const l = (label: string, value: string) =>
    out.push(`  ${`${clipText(label, 60)}:`.padEnd(27)} ${value.length > SHOW_VALUE_CHARS ? `${clipText(value, SHOW_VALUE_CHARS)}${SHOWN_SHORTENED}` : value}`);
  // every value that came from the message or its certificates: hidden characters as visible tokens
  const v = (value: string) => visibleText(value);
  out.push(`Nachricht ${d.item.id}${d.item.isTest ? '  — TESTANTRAG: kein echter Antrag, nicht bearbeiten' : ''}`);
  const unreadable = unreadableText(d.item);
  if (unreadable !== null) out.push(`  ${unreadable}`);
  else if (d.item.signatureStatus === 'unsigned') out.push(`  ${DE.unsignedBanner}`);
  const extras = d.parts.filter((p) => p.coverage.role === 'extra').length;
  if (extras > 0 && unreadable === null) out.push(`  Achtung: ${extras} weitere(r) Teil(e) der Zustellung gehören nicht zum Antrag (siehe „Teile der Zustellung“).`);
  out.push('', 'Laufzettel');
  l('Eingang (beim Intermediär)', time(d.laufzettel.eingang));
  const note = eingangNote({ ...d.item, creationCheck: d.laufzettel.creationCheck?.code ?? d.item.creationCheck }, office, true);
  if (note) l('  ACHTUNG', note);
  l('Weitergeleitet', time(d.laufzettel.forwarding));
  l('Empfang bestätigt', time(d.laufzettel.reception));
  l('Abgerufen', time(d.laufzettel.fetchedAt));
  l('Nachrichtenkennung', v(d.laufzettel.messageId));
  if (d.laufzettel.subject) l('Betreff', v(d.laufzettel.subject));
  l(
    'Absender',
    `${d.laufzettel.sender ? v(d.laufzettel.sender.subject) : 'unbekannt'}${unreadable === null && d.item.signatureStatus === 'unsigned' ? ' (laut Nachricht; keine Signatur des Absenders erfasst den Antrag)' : ''}`,
  );
  l('Empfänger', d.laufzettel.recipient ? v(d.laufzettel.recipient.subject) : 'unbekannt');
  caseWorkLines(d.caseWork, l, out);
  out.push('', 'Signaturen');
  for (const [index, s] of d.signatures.entries()) {
    l(s.role === 'author' ? `Absender${s.container ? ` (${s.container})` : ''}` : 'Intermediär', signatureSentence(DE, s.result, s.certificate, s.revocation));
    if (s.role === 'author' && s.validityBasis === 'receipt') l('  Prüfzeitpunkt', JUDGED_AT_RECEIPT_WORDS.de);
    if (s.expiredSince) {
      const until = office.stated(s.expiredSince, { seconds: false });
      l('  ACHTUNG', expiredSinceWords({ de: until, en: until }).de);
    }
    if (s.signer) l('  unterzeichnet von', v(s.signer.subject));
    if (s.role === 'author' && !d.parts.some((p) => p.coverage.status === 'before-coverage')) {
      const covered = d.parts.filter((p) => p.coverage.signatures.includes(index)).map((p) => (p.coverage.role === 'application' ? 'Antrag' : v(p.name)));
      l('  erfasst', covered.length > 0 ? covered.join(', ') : 'keinen gespeicherten Teil');
    }
    for (const r of s.reasons) l('  Hinweis', DE.signatureReason[r]);
    l('  technisch', v(s.technical));
  }
  if (d.inspections.length > 0) {
    out.push('', 'Prüfbericht des Intermediärs');
    for (const i of d.inspections)
      l(column(i.subject === '' ? DE.inspectionSubjectUnknown : v(clipText(i.subject, 60)), 60, true).trimEnd(), inspectionSentence(DE, i.verdict, i.mathResult, i.offlineResult));
  }
  if (d.view) {
    out.push('', `Inhalt: ${v(clipText(d.view.benefit?.display ?? d.view.product ?? d.view.rootName, 300))}`);
    for (const card of d.view.cards) {
      out.push('', v(clipText(card.title.de, 300)));
      for (const section of card.sections) {
        if (section.title.de !== card.title.de) out.push(`  ${v(clipText(section.title.de, 300))}`);
        for (const f of section.fields) l(`  ${v(clipText(f.label.de, 38))}`.slice(0, 40), v(f.value.display));
      }
    }
  } else if (d.viewError) {
    out.push('', `Inhalt kann nicht angezeigt werden: ${d.viewError.message}`);
  }
  if (d.documents.length > 0) {
    out.push('', 'Dokumente');
    for (const doc of d.documents) {
      const declared = doc.mimeType !== undefined && doc.mimeType !== doc.detectedMimeType ? `, angegeben: ${v(doc.mimeType)}` : '';
      l(
        doc.ref.source === 'inline' ? 'im Antrag' : 'Anlage',
        `${v(doc.fileName ?? doc.name)} (${doc.detectedMimeType ?? 'Inhalt nicht erkannt'}${declared}, ${formatBytes(doc.size)})`,
      );
      if (doc.mimeMismatch || doc.problem) l('  WARNUNG', doc.problem?.de ?? 'Der angegebene Dateityp passt nicht zum Inhalt.');
      if (!doc.exportAllowed) l('  WARNUNG', 'Kein zugelassener Dateityp: wird als .bin exportiert; nur öffnen, wenn der Inhalt geprüft ist.');
      l('  Export als', doc.exportName);
    }
  }
  out.push('', 'Teile der Zustellung (was die Signatur des Absenders erfasst)');
  for (const p of d.parts) {
    out.push(`  - ${roleWords(p.coverage.role).de}: ${v(p.name)} — ${coverageSentence(DE, p.coverage.status, p.coverage.role)}`);
    out.push(`    ${formatBytes(p.size)}, SHA-256 ${p.sha256}`);
  }
  out.push('', `Inhalt: ${formatBytes(d.content.size)}, SHA-256 ${d.content.sha256}`);
  return `${out.join('\n')}\n`;
}

/** The stored content, exactly as delivered, to stdout (in chunks of 1 MiB over the contract). */
async function writeRawContent(api: PostfachApi, id: number): Promise<void> {
  for (let offset = 0; ;) {
    const chunk = await api.call('messages.documentChunk', { id, document: { source: 'content' }, offset, length: 1024 * 1024 });
    const bytes = Buffer.from(chunk.data, 'base64');
    if (bytes.length > 0) await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
    offset += bytes.length;
    if (chunk.done || bytes.length === 0) return;
  }
}

function registerShow(program: Command): void {
  storeOptions(
    program
      .command('show')
      .description('eine Nachricht anzeigen: Laufzettel, Signaturen, Inhalt (wird als „geöffnet“ protokolliert)')
      .argument('<id>', 'Nummer der Nachricht (postfach list) oder OSCI-Nachrichtenkennung')
      .option('--raw', 'den Inhalt genau so ausgeben, wie er zugestellt wurde (Bytes, z. B. das XML)'),
  ).action(async (id: string, opts: StoreCli & { raw?: boolean }) => {
    const json = opts.json === true;
    await runAction(json, () =>
      withMailboxService(opts.store, async ({ api }) => {
        await openStore(api, opts);
        const detail = await detailOf(api, id);
        if (opts.raw) await writeRawContent(api, detail.item.id);
        else if (json) printJson(detail);
        else process.stdout.write(detailText(detail, await officeTimeOf(api)));
        return ExitCode.ok;
      }),
    );
  });
}

// ---- export ----

interface ExportCli extends StoreCli {
  readonly pdf?: string;
  readonly xml?: string;
  readonly attachments?: string;
  readonly receipt?: string;
}

function registerExport(program: Command): void {
  storeOptions(
    program
      .command('export')
      .description('eine Nachricht exportieren: PDF für die E-Akte, XML (Byte für Byte), Anlagen, Eingangsbestätigung')
      .argument('<id>', 'Nummer der Nachricht oder OSCI-Nachrichtenkennung')
      .option('--pdf <file>', 'PDF mit Laufzettel, Daten und Nachweisen')
      .option('--xml <file>', 'der zugestellte Inhalt, Byte für Byte')
      .option('--attachments <dir>', 'Dokumente und Anlagen in diesen Ordner')
      .option('--receipt <file>', 'Eingangsbestätigung (PDF, eine Seite)'),
  ).action(async (id: string, opts: ExportCli) => {
    const json = opts.json === true;
    await runAction(json, async () => {
      const wanted = (
        [
          ['xml', opts.xml],
          ['pdf', opts.pdf],
          ['attachments', opts.attachments],
          ['receipt', opts.receipt],
        ] as const
      ).filter((w): w is readonly ['xml' | 'pdf' | 'attachments' | 'receipt', string] => w[1] !== undefined);
      if (wanted.length === 0) {
        reportError(
          new PostfachError(
            'usage',
            { de: 'Bitte mindestens eines angeben: --pdf, --xml, --attachments, --receipt.', en: 'Please give at least one of --pdf, --xml, --attachments, --receipt.' },
            'nothing to export',
          ),
          json,
        );
        return ExitCode.usage;
      }
      return withMailboxService(
        opts.store,
        async ({ api }) => {
          await openStore(api, opts);
          const storeId = await storeIdOf(api, id);
          const files: Array<{ format: string; path: string; size: number; sha256?: string }> = [];
          for (const [format, target] of wanted) {
            const result = await api.call('messages.export', { id: storeId, format, target });
            for (const f of result.files) files.push({ format, ...f });
            if (!json) {
              const label = { xml: 'XML', pdf: 'PDF', attachments: 'Anlagen', receipt: 'Eingangsbestätigung' }[format];
              for (const f of result.files) process.stdout.write(`${label} geschrieben: ${f.path} (${formatBytes(f.size)})\n`);
              if (format === 'attachments' && result.files.length === 0) process.stdout.write('Keine Anlagen vorhanden.\n');
              for (const note of result.notes ?? []) process.stdout.write(`  Hinweis: ${note}\n`);
            }
          }
          if (json) printJson({ ok: true, id: storeId, files });
          return ExitCode.ok;
          // an export-only service: a small young generation keeps a large PDF export's peak memory down
        },
        { maxYoungGenerationMb: EXPORT_SERVICE_YOUNG_GENERATION_MB },
      );
    });
  });
}

export function register(program: Command): void {
  registerFetch(program);
  registerList(program);
  registerShow(program);
  registerExport(program);
}
