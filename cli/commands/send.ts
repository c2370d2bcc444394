/**
 * `postfach send --intermediary URL --pki DIR [--count N] [--service hzl|grusi|but|asylblg|wbs] [--attachments K]
 * [--attachment-size BYTES] [--seed S] [--file XML] [...]`: acts as the Sozialplattform and stores applications in
 * the municipality's mailbox (signed and encrypted content, GetMessageId + StoreDelivery). One line per delivery
 * on stdout, or with --json one object `{ok, sent: [{messageId, …}]}`. Exit code 4 when the intermediary cannot be
 * reached, 1 when it refuses (fault or 9xxx feedback).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { readGivenFile } from '../../core/io/given-file.js';
import { loadCertificate } from '../../core/pki/pkcs12.js';
import { SERVICES, type Service } from '../../intermediary/generator/application.js';
import { loadSenderSetup, sendApplications, type SentApplication } from '../../intermediary/sender/send.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { configuredOfficeTime } from '../office-time.js';
import { printJson, runAction } from '../output.js';

interface SendCliOptions {
  readonly intermediary: string;
  readonly pki: string;
  readonly count: number;
  readonly service: Service;
  readonly attachments: number;
  readonly attachmentSize: number;
  readonly seed?: string;
  readonly file?: string;
  readonly test?: boolean;
  readonly subject?: string;
  readonly contentCert?: string;
  readonly tamperSignature?: boolean;
  readonly recipientCert?: string;
  readonly intermediaryCert?: string;
  readonly intermediarySigner?: string;
  readonly json?: boolean;
}

/** Files sent with --file are read whole (they are the content of one message). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name}: eine ganze Zahl von ${min} bis ${max}`);
    return n;
  };
}

function line(s: SentApplication, office: OfficeTime): string {
  const parts = [`Zugestellt: ${s.messageId}`, `Eingang ${s.creation ? office.stated(s.creation, { missing: s.creation }) : '—'}`, `${s.content.length} Byte`];
  if (s.attachments.length) parts.push(`${s.attachments.length} Anlage(n), ${s.attachments.reduce((n, a) => n + a.length, 0)} Byte`);
  if (s.test) parts.push('Testantrag');
  return `${parts.join(', ')}\n`;
}

export function register(program: Command): void {
  program
    .command('send')
    .description('als Sozialplattform synthetische Anträge in das Postfach der Kommune zustellen (Übungsmodus, Tests)')
    .requiredOption('--intermediary <url>', 'Adresse des Intermediärs, z. B. http://127.0.0.1:8080/osci')
    .requiredOption('--pki <dir>', 'Ordner der Test-PKI (postfach pki init): Schlüssel des Absenders, Zertifikate von Kommune und Intermediär')
    .option('--count <n>', 'Anzahl der Anträge', integer('--count', 1, 10_000), 1)
    .addOption(new Option('--service <service>', 'Leistung').choices(Object.keys(SERVICES)).default('hzl'))
    .option('--attachments <k>', 'Nachweise als OSCI-Anlagen je Antrag', integer('--attachments', 0, 100), 0)
    .option('--attachment-size <bytes>', 'Größe je Nachweis in Byte', integer('--attachment-size', 1, 4 * 1024 ** 3), 100_000)
    .option('--seed <s>', 'Startwert des Generators (gleicher Wert, gleiche Anträge)')
    .option('--file <xml>', 'diese Datei unverändert als Inhalt senden (auch fehlerhafte oder feindliche Eingaben)')
    .option('--test', 'als Testantrag kennzeichnen (test="true")')
    .option('--subject <text>', 'Betreff im Laufzettel')
    .option('--content-cert <file>', 'Inhalt für dieses Zertifikat verschlüsseln statt für die Kommune (Test nicht lesbarer Zustellungen)')
    .option('--tamper-signature', 'die Signatur des Inhalts absichtlich beschädigen (Test)')
    .option('--recipient-cert <file>', 'an dieses Postfach (Verschlüsselungszertifikat) statt an die Kommune der Test-PKI')
    .option('--intermediary-cert <file>', 'Verschlüsselungszertifikat des Intermediärs (Standard: aus der Test-PKI)')
    .option('--intermediary-signer <file>', 'Zertifikat oder CA, die die Antworten signiert haben muss (Standard: aus der Test-PKI)')
    .option('--json', 'Ergebnis als JSON')
    .action(async (opts: SendCliOptions) => {
      await runAction(opts.json === true, async () => {
        const setup = loadSenderSetup({
          pkiDir: opts.pki,
          ...(opts.recipientCert ? { recipientCertificate: opts.recipientCert } : {}),
          ...(opts.intermediaryCert ? { intermediaryCertificate: opts.intermediaryCert } : {}),
          ...(opts.intermediarySigner ? { intermediarySigner: opts.intermediarySigner } : {}),
        });
        const office = await configuredOfficeTime();
        const sent = await sendApplications({
          intermediaryUrl: opts.intermediary,
          setup,
          count: opts.count,
          service: opts.service,
          attachments: opts.attachments,
          attachmentSize: opts.attachmentSize,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.file ? { content: readGivenFile(opts.file, MAX_FILE_BYTES) } : {}),
          ...(opts.test ? { test: true } : {}),
          ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
          ...(opts.contentCert ? { contentCertificate: loadCertificate(readGivenFile(opts.contentCert, 1024 * 1024)) } : {}),
          ...(opts.tamperSignature ? { tamperSignature: true } : {}),
          onSent: (s) => {
            if (!opts.json) process.stdout.write(line(s, office));
          },
        });
        if (opts.json) printJson({ ok: true, sent });
        return ExitCode.ok;
      });
    });
}
