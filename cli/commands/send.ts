/**
 * `postfach send --intermediary URL --pki DIR [--count N] [--service hzl|grusi|but|asylblg|wbs] [--attachments K]
 * [--attachment-size BYTES] [--seed S] [--file XML] [algorithm options] [...]`: acts as the Sozialplattform and
 * stores applications in the municipality's mailbox (signed and encrypted content, GetMessageId + StoreDelivery).
 * The algorithm options (--cipher, --iv-length, --key-transport, --oaep-digest, --mgf1-digest, --signature,
 * --digest, --attachment-encoding, --transport-encoding, --signature-p12) choose every variant the reference
 * implementation can send (intermediary/sender/algorithms.ts). One line per delivery on stdout, or with --json one
 * object `{ok, sent: [{messageId, …}]}`. Exit code 4 when the intermediary cannot be reached, 1 when it refuses
 * (fault or 9xxx feedback).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { PostfachError } from '../../core/errors.js';
import { readGivenFile } from '../../core/io/given-file.js';
import { KEY_TRANSPORT } from '../../core/osci/crypto/algorithms.js';
import { loadCertificate, loadPkcs12, type KeyEntry } from '../../core/pki/pkcs12.js';
import { SERVICES, type Service } from '../../intermediary/generator/application.js';
import {
  ATTACHMENT_ENCODINGS,
  CIPHERS,
  DIGESTS,
  KEY_TRANSPORTS,
  MGF1_DIGESTS,
  OAEP_DIGESTS,
  resolveSendAlgorithms,
  SIGNATURES,
  TRANSPORT_ENCODINGS,
} from '../../intermediary/sender/algorithms.js';
import { loadSenderSetup, sendApplications, type SentApplication } from '../../intermediary/sender/send.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { configuredOfficeTime } from '../office-time.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

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
  readonly cipher?: string;
  readonly ivLength?: string;
  readonly keyTransport?: string;
  readonly oaepDigest?: string;
  readonly mgf1Digest?: string;
  readonly signature?: string;
  readonly digest?: string;
  readonly attachmentEncoding?: string;
  readonly transportEncoding?: string;
  readonly signatureP12?: string;
  readonly signaturePasswordEnv?: string;
  readonly json?: boolean;
}

/** The one key of a signature key file (--signature-p12). */
function signatureKeyFrom(file: string, passwordEnv: string): KeyEntry {
  const contents = loadPkcs12(readGivenFile(file, 1024 * 1024), passwordFromEnv(passwordEnv));
  if (contents.keys.length !== 1) {
    throw new PostfachError(
      'invalid-argument',
      { de: 'Die Signaturschlüsseldatei muss genau einen Schlüssel enthalten.', en: 'The signature key file must hold exactly one key.' },
      `--signature-p12 holds ${contents.keys.length} keys`,
    );
  }
  return contents.keys[0]!;
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
    .addOption(new Option('--cipher <name>', 'symmetrisches Verfahren beider Ebenen (Transport, Inhalt, Anlagen)').choices(Object.keys(CIPHERS)).default('aes256-gcm'))
    .addOption(new Option('--iv-length <bytes>', 'IV-Länge bei AES-GCM (16: ohne osci128:IvLength)').choices(['12', '16']).default('12'))
    .addOption(new Option('--key-transport <name>', 'Schlüsseltransport (rsa-1_5: veraltet)').choices(Object.keys(KEY_TRANSPORTS)).default('rsa-oaep'))
    .addOption(new Option('--oaep-digest <name>', 'Hashverfahren von RSA-OAEP (sha1: ohne DigestMethod)').choices(Object.keys(OAEP_DIGESTS)))
    .addOption(new Option('--mgf1-digest <name>', 'Hashverfahren von MGF1 bei RSA-OAEP (Standard: wie --oaep-digest; sha1: ohne MGF)').choices(Object.keys(MGF1_DIGESTS)))
    .addOption(new Option('--signature <name>', 'Signaturverfahren (Standard: rsa-sha256, bei EC-Schlüssel ecdsa-sha256)').choices(Object.keys(SIGNATURES)))
    .addOption(new Option('--digest <name>', 'Hashverfahren der Referenzen').choices(Object.keys(DIGESTS)).default('sha256'))
    .addOption(new Option('--attachment-encoding <cte>', 'Content-Transfer-Encoding der Anlagen').choices([...ATTACHMENT_ENCODINGS]).default('8bit'))
    .addOption(new Option('--transport-encoding <cte>', 'Kodierung des verschlüsselten Transportteils').choices([...TRANSPORT_ENCODINGS]).default('binary'))
    .option('--signature-p12 <file>', 'eigener Signaturschlüssel (.p12, z. B. EC für ECDSA) statt des Absenderschlüssels der Test-PKI')
    .option('--signature-password-env <var>', 'Umgebungsvariable mit dem Passwort von --signature-p12', 'POSTFACH_P12_PASSWORD')
    .option('--json', 'Ergebnis als JSON')
    .action(async (opts: SendCliOptions) => {
      await runAction(opts.json === true, async () => {
        const algorithms = resolveSendAlgorithms({
          ...(opts.cipher !== undefined ? { cipher: opts.cipher } : {}),
          ...(opts.ivLength !== undefined ? { ivLength: Number(opts.ivLength) } : {}),
          ...(opts.keyTransport !== undefined ? { keyTransport: opts.keyTransport } : {}),
          ...(opts.oaepDigest !== undefined ? { oaepDigest: opts.oaepDigest } : {}),
          ...(opts.mgf1Digest !== undefined ? { mgf1Digest: opts.mgf1Digest } : {}),
          ...(opts.signature !== undefined ? { signature: opts.signature } : {}),
          ...(opts.digest !== undefined ? { digest: opts.digest } : {}),
          ...(opts.attachmentEncoding !== undefined ? { attachmentEncoding: opts.attachmentEncoding } : {}),
          ...(opts.transportEncoding !== undefined ? { transportEncoding: opts.transportEncoding } : {}),
        });
        if (algorithms.keyTransport.algorithm === KEY_TRANSPORT.rsa15 && !opts.json) {
          process.stderr.write('Hinweis: RSA-1.5 ist veraltet; es wird nur für Tests der Empfangsseite angeboten.\n');
        }
        const base = loadSenderSetup({
          pkiDir: opts.pki,
          ...(opts.recipientCert ? { recipientCertificate: opts.recipientCert } : {}),
          ...(opts.intermediaryCert ? { intermediaryCertificate: opts.intermediaryCert } : {}),
          ...(opts.intermediarySigner ? { intermediarySigner: opts.intermediarySigner } : {}),
        });
        const setup = opts.signatureP12 ? { ...base, signatureKey: signatureKeyFrom(opts.signatureP12, opts.signaturePasswordEnv ?? 'POSTFACH_P12_PASSWORD') } : base;
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
          algorithms,
          onSent: (s) => {
            if (!opts.json) process.stdout.write(line(s, office));
          },
        });
        if (opts.json) printJson({ ok: true, sent });
        return ExitCode.ok;
      });
    });
}
