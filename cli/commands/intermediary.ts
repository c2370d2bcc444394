/**
 * `postfach intermediary --port P --data DIR --pki DIR [--require-client-signature] [...]`: runs the local OSCI 1.2
 * intermediary on http://127.0.0.1:P/osci (P=0: a free port) until SIGINT/SIGTERM, and prints its URL on stdout
 * once it listens (one line; with --json one JSON object). Options for legacy answer modes and the reference
 * vectors' keys are listed in README.md.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { KEY_TRANSPORT, SYM } from '../../core/osci/crypto/algorithms.js';
import type { TransportEncryptionOptions } from '../../core/osci/transport-encryption.js';
import { startIntermediary, type IntermediaryOptions } from '../../intermediary/server.js';
import { loadIntermediaryKeys } from '../../intermediary/keys.js';
import { ExitCode } from '../exit-codes.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

interface IntermediaryCliOptions {
  readonly port: number;
  readonly data: string;
  readonly pki?: string;
  readonly requireClientSignature?: boolean;
  readonly cipherP12?: string;
  readonly signatureP12?: string;
  readonly passwordEnv?: string;
  readonly ca: string[];
  readonly chunkSize?: number;
  readonly dialogTimeout?: number;
  readonly maxRequestMb?: number;
  readonly answerSymmetric?: keyof typeof SYMMETRIC;
  readonly answerIv?: '12' | '16';
  readonly answerKeyTransport?: 'oaep' | 'rsa-1_5';
  readonly answerBase64?: boolean;
  readonly attachmentEncoding?: '8bit' | '8-bit' | 'binary' | 'base64';
  readonly acceptUnissuedIds?: boolean;
  readonly log?: boolean;
  readonly json?: boolean;
}

const SYMMETRIC = {
  'aes256-gcm': SYM.aes256gcm,
  'aes128-gcm': SYM.aes128gcm,
  'aes256-cbc': SYM.aes256cbc,
  'aes128-cbc': SYM.aes128cbc,
  tripledes: SYM.tripledes,
} as const;

const collect = (value: string, previous: string[]) => [...previous, value];

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name}: eine ganze Zahl von ${min} bis ${max}`);
    return n;
  };
}

function answerTransport(o: IntermediaryCliOptions): TransportEncryptionOptions | undefined {
  const t: { -readonly [K in keyof TransportEncryptionOptions]: TransportEncryptionOptions[K] } = {};
  if (o.answerSymmetric) t.symmetric = SYMMETRIC[o.answerSymmetric];
  if (o.answerIv) t.ivLength = o.answerIv === '16' ? 16 : 12;
  if (o.answerKeyTransport === 'rsa-1_5') t.keyTransport = { algorithm: KEY_TRANSPORT.rsa15 };
  if (o.answerBase64) t.base64 = true;
  return Object.keys(t).length ? t : undefined;
}

export function register(program: Command): void {
  program
    .command('intermediary')
    .description('den lokalen OSCI-1.2-Intermediär starten (Übungsmodus und Tests; nur auf 127.0.0.1)')
    .requiredOption('--port <port>', 'TCP-Port (0: ein freier Port)', integer('--port', 0, 65535))
    .requiredOption('--data <dir>', 'Datenordner der Postfächer (bleibt über Neustarts erhalten)')
    .option('--pki <dir>', 'Ordner einer Test-PKI (postfach pki init): Schlüssel des Intermediärs und vertrauenswürdige CA')
    .option('--require-client-signature', 'unsignierte Aufträge mit 9600 ablehnen')
    .option('--cipher-p12 <file>', 'Schlüsseldatei zum Entschlüsseln der Aufträge (statt der Test-PKI)')
    .option('--signature-p12 <file>', 'Schlüsseldatei für die Signatur der Antworten (Standard: --cipher-p12)')
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort der Schlüsseldateien')
    .option('--ca <file>', 'weiteres vertrauenswürdiges CA-Zertifikat für den Prüfbericht, mehrfach möglich', collect, [])
    .option('--chunk-size <bytes>', 'Zustellungen über dieser Größe per PartialFetchDelivery in Teilen (Standard 4194304)', integer('--chunk-size', 1024, 2 ** 31))
    .option('--dialog-timeout <seconds>', 'Dialoge nach so vielen Sekunden ohne Auftrag beenden (Standard 900)', integer('--dialog-timeout', 1, 86_400))
    .option('--max-request-mb <mb>', 'größte angenommene Nachricht in MB (Standard 1024)', integer('--max-request-mb', 1, 16_384))
    .addOption(new Option('--answer-symmetric <alg>', 'Altverfahren für Antworten: symmetrischer Algorithmus').choices(Object.keys(SYMMETRIC)))
    .addOption(new Option('--answer-iv <bytes>', 'Altverfahren: GCM-IV-Länge der Antworten (16: ohne IvLength)').choices(['12', '16']))
    .addOption(new Option('--answer-key-transport <alg>', 'Altverfahren: Schlüsseltransport der Antworten').choices(['oaep', 'rsa-1_5']))
    .option('--answer-base64', 'Altverfahren: verschlüsselten Teil der Antworten base64-kodiert senden')
    .addOption(new Option('--attachment-encoding <cte>', 'Content-Transfer-Encoding zugestellter Anlagen').choices(['8bit', '8-bit', 'binary', 'base64']))
    .option('--accept-unissued-ids', 'Zustellungen mit nicht selbst vergebenen Nachrichtenkennungen annehmen (Vektoren anderer Intermediäre)')
    .option('--log', 'eine technische Zeile je Auftrag auf stderr (ohne Inhalte)')
    .option('--json', 'die Adresse als JSON ausgeben')
    .action(async (opts: IntermediaryCliOptions) => {
      await runAction(opts.json === true, async () => {
        const keys = loadIntermediaryKeys({
          ...(opts.pki ? { pkiDir: opts.pki } : {}),
          ...(opts.cipherP12 ? { cipherP12: opts.cipherP12, password: passwordFromEnv(opts.passwordEnv ?? 'POSTFACH_P12_PASSWORD') } : {}),
          ...(opts.signatureP12 ? { signatureP12: opts.signatureP12 } : {}),
          caFiles: opts.ca,
        });
        const transport = answerTransport(opts);
        const options: IntermediaryOptions = {
          ...(opts.requireClientSignature ? { requireClientSignature: true } : {}),
          ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
          ...(opts.dialogTimeout ? { dialogTimeoutMs: opts.dialogTimeout * 1000 } : {}),
          ...(opts.maxRequestMb ? { maxRequestBytes: opts.maxRequestMb * 1024 * 1024 } : {}),
          ...(transport || opts.attachmentEncoding
            ? { answer: { ...(transport ? { transport } : {}), ...(opts.attachmentEncoding ? { attachmentEncoding: opts.attachmentEncoding } : {}) } }
            : {}),
          ...(opts.acceptUnissuedIds ? { acceptUnissuedMessageIds: true } : {}),
          ...(opts.log ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
        };
        // listening for the stop before the URL is printed: a caller that stops it the moment it reads the URL
        // still gets a clean end (the handler registered after the print lost that race on a busy machine)
        const stopped = new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        const running = await startIntermediary({ port: opts.port, dataDir: opts.data, keys, options });
        if (opts.json) printJson({ ok: true, url: running.url, port: running.port });
        else process.stdout.write(`${running.url}\n`);
        await stopped;
        await running.close();
        return ExitCode.ok;
      });
    });
}
