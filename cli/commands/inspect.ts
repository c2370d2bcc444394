/**
 * `postfach inspect FILE --p12 FILE [--p12 FILE ...] --password-env VAR [--json] [--trusted-signer FILE ...]
 * [--trusted-ca FILE ...] [--allow-uncovered-content]`: decodes one OSCI message (an HTTP body as sent or
 * received) with whichever of the given keys fits each layer and reports type, control block, algorithms,
 * signature results, containers, the SHA-256 of every content and attachment and what the author signatures cover
 * of each content. German text by default, one JSON object with `--json` (DESIGN.md "inspect --json"; error kinds
 * in core/osci/errors.ts). Exit code 0 when everything decrypted and verified, 1 otherwise — also for a Content its
 * container's signature does not cover (unless --allow-uncovered-content) and, with --trusted-signer, for a message
 * without a message signature.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { X509Certificate } from 'node:crypto';
import { inputFileError } from '../../core/errors.js';
import { bufferSource, fileSource, type ByteSource } from '../../core/io/byte-source.js';
import { MEMORY_THRESHOLD } from '../../core/io/sink.js';
import { inspectMessage, type InspectReport } from '../../core/osci/inspect.js';
import { loadCertificates, loadPkcs12, type KeyEntry } from '../../core/pki/pkcs12.js';
import { visibleText } from '../../core/visible-text.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

interface InspectCliOptions {
  readonly p12: string[];
  readonly passwordEnv?: string;
  readonly json?: boolean;
  readonly trustedSigner: string[];
  readonly trustedCa: string[];
  readonly allowUncoveredContent?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const TYPE_DE: Record<string, string> = {
  StoreDelivery: 'Zustellungsauftrag',
  ResponseToStoreDelivery: 'Antwort auf Zustellungsauftrag',
  FetchDelivery: 'Zustellungsabholauftrag',
  ResponseToFetchDelivery: 'Antwort auf Zustellungsabholauftrag',
  InitDialog: 'Dialoginitialisierung',
  ResponseToInitDialog: 'Antwort auf Dialoginitialisierung',
  ExitDialog: 'Dialogende',
  ResponseToExitDialog: 'Antwort auf Dialogende',
  GetMessageId: 'MessageId-Anforderung',
  ResponseToGetMessageId: 'Antwort auf MessageId-Anforderung',
  FetchProcessCard: 'Laufzettelabholauftrag',
  ResponseToFetchProcessCard: 'Antwort auf Laufzettelabholauftrag',
  PartialStoreDelivery: 'Teil-Zustellungsauftrag',
  ResponseToPartialStoreDelivery: 'Antwort auf Teil-Zustellungsauftrag',
  PartialFetchDelivery: 'Teil-Abholauftrag',
  ResponseToPartialFetchDelivery: 'Antwort auf Teil-Abholauftrag',
  SOAPFault: 'Fehlernachricht (SOAP-Fault)',
};

/** The trust of an author signature in words (the JSON keeps the stable token). */
const TRUST_DE: Readonly<Record<string, string>> = {
  trusted: 'vertrauenswürdig',
  'unknown-issuer': 'unbekannter Aussteller',
  invalid: 'ungültig',
};

/** What the author signatures cover of a content, in words (the JSON keeps the stable token). */
const COVERAGE_DE: Readonly<Record<string, string>> = {
  covered: 'signiert',
  'not-covered': 'NICHT von der Signatur des Containers erfasst',
  unsigned: 'nicht signiert',
  'digest-mismatch': 'VERÄNDERT (Prüfsumme passt nicht zur Signatur)',
  'signature-invalid': 'Signatur UNGÜLTIG',
  undecryptable: 'mit dem Schlüssel des Containers NICHT zu entschlüsseln (fremd verschlüsselt)',
};

function text(r: InspectReport, office: OfficeTime): string {
  const lines: string[] = [];
  const l = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(26)}${value}`);
  lines.push(r.ok ? 'Ergebnis: in Ordnung — entschlüsselt und geprüft' : `Ergebnis: FEHLER — ${r.error?.message ?? ''}`);
  if (r.error) l('Technische Angabe', `${r.error.kind}${r.error.osciCode ? ` (OSCI-Code ${r.error.osciCode})` : ''}: ${r.error.detail}`);
  l('Nachrichtentyp', r.messageType ? `${TYPE_DE[r.messageType] ?? r.messageType} (${r.messageType})` : 'unbekannt');
  l('Größe', `${r.size} Byte, SHA-256 ${r.sha256}`);
  if (r.transport) {
    l('Transportverschlüsselung', `${r.transport.symmetric} (IV ${r.transport.ivLength} Byte), ${r.transport.keyTransport}`);
    l('Entschlüsselt mit', r.transport.decryptedWith);
  } else if (r.messageType) l('Transportverschlüsselung', 'keine');
  if (r.controlBlock) {
    const cb = r.controlBlock;
    l('Dialog', `ConversationId ${cb.conversationId ?? '—'}, SequenceNumber ${cb.sequenceNumber ?? '—'}, Challenge ${cb.challenge ?? '—'}, Response ${cb.response ?? '—'}`);
  }
  if (r.messageId) l('Nachrichtenkennung', r.messageId);
  if (r.fault) l('Fehlermeldung', `${r.fault.faultCode} ${r.fault.osciCode ?? ''} ${r.fault.faultString}`);
  for (const f of r.feedback ?? []) l('Rückmeldung', `${f.code} ${f.meaning}`);
  if (r.messageType && r.messageType !== 'SOAPFault') {
    const s = r.signature;
    l(
      'Nachrichtensignatur',
      !s.present
        ? 'keine'
        : `${s.valid ? 'gültig' : 'UNGÜLTIG'}${s.allPartsSigned ? '' : ' (nicht alle Teile signiert)'}, ${s.pinned ? 'vertrauenswürdig' : 'Unterzeichner nicht hinterlegt'}, ${s.signer ?? '?'}`,
    );
  }
  for (const p of r.processCards ?? []) {
    // office time with the zone stated; a stamp that is no time is shown as written
    const t = (v: string | null): string => (v === null ? '—' : office.stated(v, { missing: v }));
    l('Laufzettel', `${p.messageId}: Eingang ${t(p.creation)}, Weiterleitung ${t(p.forwarding)}, Empfang ${t(p.reception)}`);
  }
  for (const c of r.containers) {
    const sig =
      c.signatures.length === 0
        ? 'unsigniert'
        : c.signatures.map((s) => `${s.valid ? 'Signatur gültig' : 'Signatur UNGÜLTIG'} (${s.signer ?? '?'}; ${TRUST_DE[s.trust] ?? s.trust})`).join(', ');
    l('Inhaltscontainer', `${c.path}${c.encryptedDataId ? ' (verschlüsselt)' : ''}: ${c.error ? `nicht lesbar (${c.error.kind})` : sig}`);
  }
  for (const c of r.contents) l('Inhalt', `${c.container} ${c.id ?? ''} ${c.kind}, ${c.length} Byte, SHA-256 ${c.sha256}`);
  for (const c of r.coverage)
    l(
      'Signaturabdeckung',
      `${c.container} ${c.id ?? c.contentId ?? ''} ${c.kind}: ${COVERAGE_DE[c.status] ?? c.status}${c.signedBy.length > 0 ? ` (${c.signedBy.map((s) => s ?? '?').join(', ')})` : ''}`,
    );
  for (const a of r.attachments)
    l('Anlage', `${a.contentId}${a.encrypted ? ' (verschlüsselt)' : ''}: ${a.length ?? a.transportedLength} Byte, SHA-256 ${a.sha256 ?? a.transportedSha256}`);
  if (r.weakAlgorithms) lines.push('  Hinweis: Die Nachricht verwendet veraltete Verfahren (z. B. SHA-1, RSA-1.5, CBC).');
  // ids, names and fault texts come from the inspected file: hidden characters as visible tokens (core/visible-text)
  return visibleText(`${lines.join('\n')}\n`, { lineBreaks: true });
}

/** A file named on the command line that cannot be read: `input-file` (exit code 1), not an internal error. */
function unreadable(file: string, role: string, cause: unknown): Error {
  return inputFileError(`${role}: ${(cause as NodeJS.ErrnoException).code ?? 'error'} reading ${path.basename(file)}`, cause);
}

function readInput(file: string, role: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw unreadable(file, role, cause);
  }
}

async function messageSource(file: string): Promise<ByteSource> {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = stat.size;
  } catch (cause) {
    throw unreadable(file, 'message', cause);
  }
  // a message of the usual size is read once (the decoder reads many small ranges: one open each from a file);
  // a large one is streamed from the file and never held whole
  return size <= MEMORY_THRESHOLD ? bufferSource(readInput(file, 'message')) : fileSource(file);
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('eine OSCI-Nachricht entschlüsseln und prüfen (Typ, Signaturen, Inhalte mit SHA-256)')
    .argument('<file...>', 'die Nachricht (HTTP-Body wie gesendet oder empfangen); mehrere Dateien: JSON-Liste')
    .option('--p12 <file>', 'Schlüsseldatei (.p12), mehrfach möglich', collect, [])
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort der Schlüsseldateien')
    .option('--trusted-signer <file>', 'Zertifikat oder CA, der die Nachrichtensignatur vertrauen soll, mehrfach möglich', collect, [])
    .option('--trusted-ca <file>', 'CA-Zertifikat für Inhaltssignaturen (Autoren), mehrfach möglich', collect, [])
    .option('--allow-uncovered-content', 'einen Inhalt, den die Signatur seines Containers nicht erfasst, nur melden (ok bleibt wahr)')
    .option('--json', 'Ergebnis als JSON')
    .action(async (files: string[], opts: InspectCliOptions) => {
      await runAction(opts.json === true, async () => {
        const keys: KeyEntry[] = [];
        const chain: X509Certificate[] = [];
        if (opts.p12.length > 0) {
          const password = passwordFromEnv(opts.passwordEnv ?? 'POSTFACH_P12_PASSWORD');
          for (const p of opts.p12) {
            const contents = loadPkcs12(readInput(p, '--p12'), password);
            keys.push(...contents.keys);
            chain.push(...contents.otherCertificates);
          }
        }
        const signers = opts.trustedSigner.flatMap((f) => loadCertificates(readInput(f, '--trusted-signer')));
        const cas = opts.trustedCa.flatMap((f) => loadCertificates(readInput(f, '--trusted-ca')));
        // the office time zone is for text (--json keeps ISO 8601 with offset): not read for --json
        // (loaded only then: the settings' zod schemas cost about 65 ms of CPU at start)
        const office = opts.json ? undefined : await (await import('../office-time.js')).configuredOfficeTime();
        const reports: Array<InspectReport & { file: string }> = [];
        for (const file of files) {
          // streamed from the file: large messages are never read into memory whole
          const report = await inspectMessage(await messageSource(file), {
            keys,
            ...(signers.length ? { trustedSigners: { pinned: signers, cas: signers.filter((c) => c.ca), intermediates: chain } } : {}),
            ...(cas.length ? { authorAnchors: { cas, intermediates: chain } } : {}),
            ...(opts.allowUncoveredContent ? { allowUncoveredContent: true } : {}),
          });
          reports.push({ file, ...report });
          if (office) process.stdout.write(`${files.length > 1 ? `${file}\n` : ''}${text(report, office)}`);
        }
        // one file: one object (the contract); several files: a list in the same order
        if (opts.json) printJson(reports.length === 1 ? reports[0] : reports);
        return reports.every((r) => r.ok) ? ExitCode.ok : ExitCode.failed;
      });
    });
}
