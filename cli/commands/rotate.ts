/**
 * `postfach rotate`: changing the mailbox certificate on the command line through the service (`rotation.*` of the
 * contract, the steps of core/mailbox/rotation.ts as the desktop app runs them) — import the new .p12, fetch what
 * still waits for the old certificate, switch; resumable: run it again after an interruption.
 *
 *   postfach rotate --store DB --p12 NEW.p12 [--password-env VAR]   begin (or replace a staged key) and run
 *   postfach rotate --store DB                                      continue a begun rotation
 *   postfach rotate --store DB --status | --cancel
 */
import { certificateWarningWords } from '../../core/domain/words/index.js';
import { interruptionText, ROTATION_STEP_WORDS } from '../../core/api/contract/rotation-words.js';
import type { Command } from 'commander';
import type { CertificateSummary } from '../../core/api/contract/mailbox.js';
import type { RotationStatusDto as RotationStatus } from '../../core/api/contract/ops.js';
import { officeTime, type OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, withMailboxService } from '../mailbox-service.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

/** The first 8 bytes of a SHA-256 fingerprint ("AB:CD:…"), enough to tell certificates apart by eye. */
function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.split(':').slice(0, 8).join(':')}…`;
}

function certificateLines(label: string, c: CertificateSummary, office: OfficeTime): string[] {
  return [
    `  ${label} ${c.subject} (gültig bis ${office.date(c.validTo, { missing: c.validTo })}, SHA-256 ${c.fingerprintSha256})`,
    ...c.warnings.map((w) => `            Hinweis: ${certificateWarningWords('de', w, (iso) => office.date(iso))}`),
  ];
}

/** The rotation's state in German; times in the office time zone, stated (core/time). */
export function statusText(s: RotationStatus, office: OfficeTime = officeTime()): string {
  const state = {
    none: 'kein Zertifikatswechsel begonnen',
    staged: 'neues Zertifikat eingelesen',
    draining: 'altes Postfach wird geleert (fortsetzbar)',
    drained: 'altes Postfach leer, bereit zum Umschalten',
  }[s.state];
  const lines: string[] = [];
  if (s.state === 'none' && s.lastCompleted) {
    const when = office.stated(s.lastCompleted.at, { missing: s.lastCompleted.at });
    const now = s.current ? shortFingerprint(s.current.fingerprintSha256) : '—';
    lines.push(
      `Zertifikatswechsel: der letzte Wechsel wurde am ${when} abgeschlossen (abgelöst: SHA-256 ${shortFingerprint(s.lastCompleted.retired.fingerprintSha256)}, seitdem in Kraft: SHA-256 ${now}); kein neuer Wechsel begonnen`,
    );
  } else lines.push(`Zertifikatswechsel: ${state}`);
  if (s.current) lines.push(...certificateLines('in Kraft:', s.current, office));
  if (s.next) lines.push(...certificateLines('neu:     ', s.next, office));
  if (s.state !== 'none') {
    for (const step of s.steps) lines.push(`  [${step.done ? 'x' : ' '}] ${ROTATION_STEP_WORDS[step.id].title.de}: ${ROTATION_STEP_WORDS[step.id].explanation.de}`);
    lines.push(`  für das alte Zertifikat abgerufen: ${s.fetched}`);
    if (s.lastError)
      lines.push(`  zuletzt unterbrochen: ${interruptionText(s.lastError).de} Der Wechsel wird beim nächsten Aufruf fortgesetzt (technische Angabe: ${s.lastError}).`);
  }
  for (const r of s.retired) lines.push(`  früheres Zertifikat (Schlüssel aufbewahrt): ${r.subject}, SHA-256 ${r.fingerprintSha256}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('rotate')
    .description('das Zertifikat des Postfachs wechseln: neues .p12 einlesen, altes Postfach leeren, umschalten (fortsetzbar)')
    .requiredOption('--store <path>', 'der Datenspeicher')
    .option('--p12 <file>', 'die Schlüsseldatei mit dem neuen Zertifikat')
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort der neuen Schlüsseldatei', 'POSTFACH_P12_PASSWORD')
    .option('--status', 'nur den Stand zeigen')
    .option('--cancel', 'einen begonnenen, noch nicht umgeschalteten Wechsel verwerfen')
    .option('--store-password-env <var>', `Umgebungsvariable mit dem Passwort des Datenspeichers (Standard: ${DEFAULT_STORE_PASSWORD_ENV})`)
    .option('--json', 'Ergebnis als JSON')
    .action(async (opts: { store: string; p12?: string; passwordEnv: string; status?: boolean; cancel?: boolean; storePasswordEnv?: string; json?: boolean }) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        // the key file's password is read before the service starts: a missing variable changes nothing
        const stage = opts.cancel || opts.status || opts.p12 === undefined ? undefined : { keyFile: opts.p12, password: passwordFromEnv(opts.passwordEnv) };
        return withMailboxService(opts.store, async ({ api }) => {
          await openStore(api, opts);
          let status = await api.call('rotation.status', {});
          let fetchOutcome: string | undefined;
          if (opts.cancel) status = await api.call('rotation.cancel', {});
          else if (!opts.status) {
            // the same steps as in the desktop app (the ops handlers): IT's locked connection values, the trusted
            // sender CAs of the store and IT, the technical log
            if (stage) status = await api.call('rotation.stage', stage);
            if (status.state !== 'none') {
              const progress = api.on('fetch.progress', (p) => process.stderr.write(`\rAbruf für das alte Zertifikat: ${p.messagesDone} Zustellungen`));
              try {
                const run = await api.call('rotation.run', {});
                status = run.status;
                fetchOutcome = run.fetch?.outcome;
              } finally {
                progress();
                process.stderr.write('\n');
              }
            }
          }
          const timeZone = (await api.call('app.info', {})).officeTimeZone;
          if (json) printJson({ ok: true, ...status, ...(fetchOutcome ? { fetchOutcome } : {}) });
          else process.stdout.write(statusText(status, officeTime(timeZone)));
          // a drain that did not finish: partly done, run again
          return status.state === 'draining' ? ExitCode.partial : ExitCode.ok;
        });
      });
    });
}
