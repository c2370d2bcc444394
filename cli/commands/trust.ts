/**
 * `postfach trust`: the CAs whose certificates make a sender's signature "vertrauenswürdig", for local IT on the
 * command line (the desktop app has the same under Einstellungen → Postfach). Through the typed contract (area
 * "trust"); each change judges the stored messages again and is in the store's audit log.
 *
 *   postfach trust list   --store DB [--json]
 *   postfach trust add    FILE --store DB [--json]        .cer/.crt/.pem/.p7b; the CA certificates of the file
 *   postfach trust remove FINGERPRINT --store DB [--json] SHA-256, with or without colons
 *
 * CAs that IT sets by group policy or the machine file (`trustedCaFiles`) are listed as such and cannot be removed
 * here; while IT fixes the setting, add and remove are refused.
 */
import { certificateWarningWords, wordsOf } from '../../core/domain/words/index.js';
import type { Command } from 'commander';
import type { MethodOutput } from '../../core/api/contract.js';
import type { TrustedCaDto } from '../../core/api/contract/trust.js';
import type { OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { officeTimeOf } from '../office-time.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, withMailboxService } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';

interface TrustCli {
  readonly store: string;
  readonly storePasswordEnv: string;
  readonly json?: boolean;
}

/** 29.11.2026 (the day of a validity bound, UTC as the certificate states it). */
function day(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

const SOURCE_WORDS: Record<TrustedCaDto['source'], string> = {
  import: 'vom Amt eingelesen',
  setup: 'bei der Einrichtung eingelesen',
  fetch: 'mit „fetch --trusted-ca“ eingelesen',
  demo: 'Übungsmodus',
  migrated: 'aus der früheren Einrichtung übernommen',
  policy: 'von der IT vorgegeben (Gruppenrichtlinie)',
  'machine-file': 'von der IT vorgegeben (Konfigurationsdatei des PCs)',
  'user-settings': 'aus den Einstellungen dieses Benutzers',
};

function caLines(ca: TrustedCaDto, office: OfficeTime): string {
  const c = ca.certificate;
  // a moment: in the office time zone, as every time the program shows
  const added = ca.addedAt ? `, am ${office.dateTime(ca.addedAt, { missing: ca.addedAt })}` : '';
  const lines = [
    `  ${c.subject}`,
    `      SHA-256 ${c.fingerprintSha256}`,
    `      gültig ${day(c.validFrom)} – ${day(c.validTo)}; ${SOURCE_WORDS[ca.source]}${added}${ca.inForce ? '' : ' – gilt nicht, solange die IT die Liste vorgibt'}`,
    ...c.warnings.map((w) => `      Hinweis: ${certificateWarningWords('de', w, (iso) => office.date(iso))}`),
  ];
  return `${lines.join('\n')}\n`;
}

function listText(list: MethodOutput<'trust.list'>, office: OfficeTime): string {
  const head = 'Vertrauenswürdige Absender-CAs (Signaturen von Zertifikaten dieser CAs gelten als „vertrauenswürdig“):\n';
  const lock = list.locked ? `Die Liste ist ${list.lockReason?.de ?? 'von der IT festgelegt'}; sie kann hier nicht geändert werden.\n` : '';
  if (list.cas.length === 0) return `${head}  keine – jede gültige Absender-Signatur zeigt „${wordsOf('de').signatureStatus['unknown-issuer']}“.\n${lock}`;
  return `${head}${list.cas.map((ca) => caLines(ca, office)).join('')}${lock}`;
}

function reevaluatedText(r: { checked: number; changed: number }): string {
  return `Gespeicherte Nachrichten neu bewertet: ${r.checked}, davon mit geändertem Vertrauensstatus: ${r.changed}.\n`;
}

function storeOptions(command: Command): Command {
  return command
    .requiredOption('--store <path>', 'der Datenspeicher')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort des Datenspeichers', DEFAULT_STORE_PASSWORD_ENV)
    .option('--json', 'Ausgabe als JSON');
}

export function register(program: Command): void {
  const trust = program.command('trust').description('vertrauenswürdige CAs für die Signaturen der Absender: zeigen, einlesen (.cer/.pem/.p7b), entfernen');

  storeOptions(trust.command('list').description('die vertrauenswürdigen Absender-CAs zeigen (eigene und von der IT vorgegebene)')).action(async (opts: TrustCli) => {
    const json = opts.json === true;
    await runAction(json, () =>
      withMailboxService(opts.store, async ({ api }) => {
        await openStore(api, opts);
        const list = await api.call('trust.list', {});
        if (json) printJson({ ok: true, ...list });
        else process.stdout.write(listText(list, await officeTimeOf(api)));
        return ExitCode.ok;
      }),
    );
  });

  storeOptions(
    trust
      .command('add')
      .argument('<file>', 'CA-Zertifikat (.cer, .crt, .pem) oder Zertifikatsbündel (.p7b)')
      .description('die CA-Zertifikate einer Datei als vertrauenswürdig einlesen'),
  ).action(async (file: string, opts: TrustCli) => {
    const json = opts.json === true;
    await runAction(json, () =>
      withMailboxService(opts.store, async ({ api }) => {
        await openStore(api, opts);
        const seen = await api.call('trust.inspectFile', { file });
        const result = await api.call('trust.add', { file });
        if (json) printJson({ ok: true, file: seen, ...result });
        else {
          for (const ca of seen.cas)
            process.stdout.write(`${ca.alreadyTrusted ? 'Schon vertrauenswürdig' : 'Eingelesen'}: ${ca.certificate.subject}\n  SHA-256 ${ca.certificate.fingerprintSha256}\n`);
          if (seen.skipped > 0) process.stdout.write(`${seen.skipped} Zertifikat(e) der Datei sind keine CA und wurden nicht übernommen.\n`);
          process.stdout.write(reevaluatedText(result.reevaluated));
        }
        return ExitCode.ok;
      }),
    );
  });

  storeOptions(
    trust.command('remove').argument('<fingerprint>', 'SHA-256-Fingerabdruck der CA (wie „trust list“ ihn zeigt)').description('einer eingelesenen CA nicht mehr vertrauen'),
  ).action(async (fingerprint: string, opts: TrustCli) => {
    const json = opts.json === true;
    await runAction(json, () =>
      withMailboxService(opts.store, async ({ api }) => {
        await openStore(api, opts);
        const result = await api.call('trust.remove', { fingerprint });
        if (json) printJson({ ok: true, ...result });
        else process.stdout.write(`CA entfernt.\n${reevaluatedText(result.reevaluated)}`);
        return ExitCode.ok;
      }),
    );
  });
}
