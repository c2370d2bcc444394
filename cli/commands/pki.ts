/**
 * `postfach pki init --dir DIR` (the test PKI) and `postfach pki show FILE` (what a key or certificate file
 * holds), as DESIGN.md's command-line contract says. German text on stdout by default, `--json` for scripts.
 */
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { PostfachError, type ErrorKind } from '../../core/errors.js';
import { readGivenFile } from '../../core/io/given-file.js';
import { type CertificateFacts, describeCertificate, type KeyRole } from '../../core/pki/certificate-facts.js';
import { type KeyFileReport, type ReportedCertificate, reportKeyFile, sniffKeyFileFormat } from '../../core/pki/file-report.js';
import { loadCertificates } from '../../core/pki/pkcs12.js';
import { wordsOf } from '../../core/domain/words/index.js';
import { createTestPki, type CreatedTestPki, TEST_PKI_ROLES, type TestPkiKeySize } from '../../core/pki/test-pki.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { configuredOfficeTime } from '../office-time.js';
import { passwordFromEnv, printJson, reportError, runAction } from '../output.js';
import { plural as pluralBy } from '../../core/words/plural.js';

const KEY_USAGE_DE: Readonly<Record<string, string>> = {
  digitalSignature: 'digitale Signatur',
  nonRepudiation: 'Nichtabstreitbarkeit',
  keyEncipherment: 'Schlüsselverschlüsselung',
  dataEncipherment: 'Datenverschlüsselung',
  keyAgreement: 'Schlüsselvereinbarung',
  keyCertSign: 'Zertifikate signieren',
  cRLSign: 'Sperrlisten signieren',
  encipherOnly: 'nur Verschlüsselung',
  decipherOnly: 'nur Entschlüsselung',
};

/** Office time with the zone stated (core/time), unambiguous for IT on any machine: "04.06.2021, 14:34 Uhr (MESZ, UTC+02:00)". */
function stated(office: OfficeTime, iso: string): string {
  return office.stated(iso, { seconds: false });
}

function line(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(24)}${value}\n`;
}

/**
 * A reported certificate with its codes said in words (core/domain/words), where the command shows them: each
 * warning in German and English (the certificate's days in the office zone), the trust and each reason in German.
 */
function withWords(entry: ReportedCertificate, office: OfficeTime) {
  const c = entry.certificate;
  const days = {
    de: { validFrom: office.date(c.validFrom), validTo: office.date(c.validTo) },
    en: { validFrom: office.day(c.validFrom) ?? '', validTo: office.day(c.validTo) ?? '' },
  };
  const say = (w: CertificateFacts['warnings'][number], language: 'de' | 'en'): string => wordsOf(language).certificateWarning({ ...w, ...days[language] });
  const trust = entry.trust && {
    ...entry.trust,
    label: wordsOf('de').certificateTrust[entry.trust.status],
    reasons: entry.trust.reasons.map((r) => ({ ...r, message: wordsOf('de').signatureReason[r.code] })),
  };
  return { ...entry, certificate: { ...c, warnings: c.warnings.map((w) => ({ ...w, de: say(w, 'de'), en: say(w, 'en') })) }, ...(trust ? { trust } : {}), trustWords: trust };
}

/** What `--json` prints of a certificate: the trust once (with its words). */
function json1<T extends { trustWords?: unknown }>({ trustWords: _words, ...entry }: T): Omit<T, 'trustWords'> {
  return entry;
}

function certificateText(entry: ReportedCertificate, withSuitability: boolean, office: OfficeTime): string {
  const c: CertificateFacts = entry.certificate;
  let out = '';
  out += line('Inhaber', c.subject.readable);
  out += line('Inhaber (RFC 2253)', c.subject.rfc2253);
  out += line('Aussteller', c.issuer.readable);
  out += line('Seriennummer', `${c.serialNumber.hex} (dezimal ${c.serialNumber.decimal})`);
  out += line('Gültig', `${stated(office, c.validFrom)} bis ${stated(office, c.validTo)}`);
  out += line('Schlüssel', `${c.key.algorithm}${c.key.bits === undefined ? '' : `, ${c.key.bits} Bit`}${c.key.curve ? ` (${c.key.curve})` : ''}`);
  out += line(
    'Schlüsselverwendung',
    c.keyUsage === null ? 'keine Einschränkung (Erweiterung fehlt)' : c.keyUsage.map((u) => `${KEY_USAGE_DE[u] ?? u} (${u})`).join(', ') || 'keine',
  );
  out += line('Erweiterte Verwendung', c.extendedKeyUsage === null ? 'keine Angabe' : c.extendedKeyUsage.map((e) => e.name ?? e.oid).join(', '));
  if (withSuitability) {
    const roles = [c.suitableFor.cipher ? 'Verschlüsselung' : undefined, c.suitableFor.signature ? 'Signatur' : undefined].filter(Boolean);
    out += line('Geeignet für', roles.length > 0 ? roles.join(', ') : 'weder Verschlüsselung noch Signatur');
  }
  out += line('Zertifizierungsstelle', c.isCa ? 'ja' : 'nein');
  out += line('Signaturverfahren', c.signatureAlgorithm);
  out += line('SHA-256-Fingerabdruck', c.fingerprintSha256);
  out += line('Selbst signiert', c.selfSigned ? 'ja' : 'nein');
  const words = withWords(entry, office);
  if (words.trustWords) {
    out += line('Vertrauen', `${words.trustWords.label}; ${wordsOf('de').revocation[words.trustWords.revocation]}`);
    for (const r of words.trustWords.reasons) out += line('', `– ${r.message}`);
  }
  if (words.certificate.warnings.length === 0) out += line('Hinweise', 'keine');
  else words.certificate.warnings.forEach((w, i) => (out += line(i === 0 ? 'Hinweise' : '', `! ${w.de}`)));
  return out;
}

function reportText(file: string, report: KeyFileReport, office: OfficeTime): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${pluralBy('de', n, one, many)}`;
  let out = '';
  if (report.format === 'pkcs12') {
    out += `Datei: ${file}\nArt: PKCS#12-Schlüsseldatei mit ${plural(report.keys.length, 'Schlüssel', 'Schlüsseln')} und ${plural(report.certificates.length, 'weiteren Zertifikat', 'weiteren Zertifikaten')}\n`;
  } else {
    out += `Datei: ${file}\nArt: ${plural(report.certificates.length, 'Zertifikat', 'Zertifikate')}\n`;
  }
  out += `Geprüft zum Zeitpunkt: ${stated(office, report.checkedAt)}\n`;
  report.keys.forEach((k, i) => {
    out += `\nSchlüssel ${i + 1}${k.alias === null ? '' : ` (Alias „${k.alias}“)`}\n${certificateText(k, true, office)}`;
  });
  report.certificates.forEach((c, i) => {
    const title = report.format === 'pkcs12' ? `Weiteres Zertifikat ${i + 1}` : `Zertifikat ${i + 1}`;
    out += `\n${title}\n${certificateText(c, report.format === 'certificate', office)}`;
  });
  return out;
}

function parseIntOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name}: eine ganze Zahl von ${min} bis ${max}`);
    return n;
  };
}

function parseDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('ein Zeitpunkt nach ISO 8601, z. B. 2026-05-04T10:00:00Z');
  return d;
}

/** Usage errors found after parsing (e.g. a .p12 without --password-env): message on stderr, exit 2. */
function usage(json: boolean, kind: ErrorKind, de: string, en: string, detail: string): ExitCode {
  reportError(new PostfachError(kind, { de, en }, detail), json);
  return ExitCode.usage;
}

interface ShowOptions {
  passwordEnv?: string;
  json?: boolean;
  ca: string[];
  role?: 'cipher' | 'signature' | 'both';
  at?: Date;
}

async function show(file: string, options: ShowOptions): Promise<ExitCode> {
  const json = options.json === true;
  const data = readGivenFile(file);
  const format = sniffKeyFileFormat(data, file);
  if (format === 'pkcs12' && options.passwordEnv === undefined) {
    return usage(
      json,
      'password-missing',
      'Die Datei ist eine Schlüsseldatei (PKCS#12): Bitte mit --password-env VARIABLE die Umgebungsvariable mit ihrem Passwort angeben.',
      'The file is a key file (PKCS#12): please name the environment variable holding its password with --password-env VARIABLE.',
      'PKCS#12 file without --password-env',
    );
  }
  const trustAnchors = options.ca.flatMap((f) => loadCertificates(readGivenFile(f)));
  const roles: KeyRole[] | undefined = options.role === undefined ? undefined : options.role === 'both' ? ['cipher', 'signature'] : [options.role];
  const office = await configuredOfficeTime();
  const report = reportKeyFile(
    data,
    {
      ...(format === 'pkcs12' && options.passwordEnv !== undefined ? { password: passwordFromEnv(options.passwordEnv) } : {}),
      ...(trustAnchors.length > 0 ? { trustAnchors } : {}),
      ...(roles ? { roles } : {}),
      ...(options.at ? { at: options.at } : {}),
    },
    file,
  );
  if (json)
    printJson({
      ok: true,
      file: path.resolve(file),
      ...report,
      keys: report.keys.map((k) => json1(withWords(k, office))),
      certificates: report.certificates.map((c) => json1(withWords(c, office))),
    });
  else process.stdout.write(reportText(file, report, office));
  return ExitCode.ok;
}

interface InitOptions {
  dir: string;
  force?: boolean;
  keySize: number;
  validDays: number;
  expired?: boolean;
  json?: boolean;
}

function initText(created: CreatedTestPki, options: InitOptions, office: OfficeTime): string {
  const facts = (role: (typeof TEST_PKI_ROLES)[number] | 'ca'): CertificateFacts => describeCertificate(created.certificates[role]);
  const until = (iso: string): string => office.date(iso);
  let out = `Test-PKI angelegt in ${created.dir}\n`;
  const ca = facts('ca');
  out += `  ca.cer: ${ca.subject.commonName ?? ca.subject.readable}, gültig bis ${until(ca.validTo)}\n`;
  for (const role of TEST_PKI_ROLES) {
    const f = facts(role);
    out += `  ${role}.p12, ${role}.cer: ${f.subject.commonName ?? f.subject.readable}, RSA ${f.key.bits} Bit, gültig bis ${until(f.validTo)}\n`;
  }
  out += '  password: Passwort der .p12-Dateien (nur für Tests und die Übungsumgebung)\n';
  if (options.expired) out += 'Hinweis: Die drei Schlüsselzertifikate sind absichtlich abgelaufen (--expired).\n';
  return out;
}

async function init(options: InitOptions): Promise<ExitCode> {
  const created = await createTestPki(options.dir, {
    keySize: options.keySize as TestPkiKeySize,
    validDays: options.validDays,
    expired: options.expired === true,
    force: options.force === true,
  });
  if (options.json) {
    const certificate = (role: (typeof TEST_PKI_ROLES)[number] | 'ca'): Record<string, unknown> => {
      const f = describeCertificate(created.certificates[role]);
      return { subject: f.subject.rfc2253, fingerprintSha256: f.fingerprintSha256, validFrom: f.validFrom, validTo: f.validTo, keyBits: f.key.bits };
    };
    printJson({
      ok: true,
      dir: created.dir,
      files: created.files,
      certificates: Object.fromEntries((['ca', ...TEST_PKI_ROLES] as const).map((r) => [r, certificate(r)])),
    });
  } else {
    process.stdout.write(initText(created, options, await configuredOfficeTime()));
  }
  return ExitCode.ok;
}

export function register(program: Command): void {
  const pki = program.command('pki').description('Schlüssel und Zertifikate: Test-PKI anlegen, Dateien prüfen');

  pki
    .command('init')
    .description('Test-PKI anlegen: CA, Intermediär, Sender (Sozialplattform) und Kommune, Passwort in DIR/password')
    .requiredOption('--dir <dir>', 'Zielordner (wird angelegt)')
    .option('--force', 'eine vorhandene Test-PKI im Ordner ersetzen')
    .option(
      '--key-size <bits>',
      'RSA-Schlüssellänge: 3072 oder 4096',
      (v) => {
        if (v !== '3072' && v !== '4096') throw new InvalidArgumentError('3072 oder 4096');
        return Number(v);
      },
      3072,
    )
    .option('--valid-days <days>', 'Gültigkeit der Schlüsselzertifikate in Tagen', parseIntOption('--valid-days', 1, 3650), 730)
    .option('--expired', 'Schlüsselzertifikate, die gestern abgelaufen sind (für Tests der Ablaufprüfung)')
    .option('--json', 'Ergebnis als JSON')
    .action(async (options: InitOptions) => runAction(options.json === true, () => init(options)));

  pki
    .command('show')
    .description('zeigen, was eine .p12- oder .cer-Datei enthält: Inhaber, Aussteller, Gültigkeit, Verwendung, Schlüssellänge, Fingerabdruck, Hinweise')
    .argument('<file>', '.p12/.pfx (mit --password-env) oder .cer/.crt/.pem')
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort der .p12-Datei')
    .option('--ca <file>', 'als vertrauenswürdig eingerichtete CA (.cer/.pem, mehrfach möglich): Kette prüfen', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addOption(new Option('--role <role>', 'vorgesehene Verwendung der Schlüssel: Hinweis, wenn das Zertifikat sie nicht erlaubt').choices(['cipher', 'signature', 'both']))
    .option('--at <time>', 'Gültigkeit zu diesem Zeitpunkt prüfen (ISO 8601; Standard: jetzt)', parseDate)
    .option('--json', 'Ergebnis als JSON')
    .action(async (file: string, options: ShowOptions) => runAction(options.json === true, () => show(file, options)));
}
