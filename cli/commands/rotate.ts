/**
 * `postfach rotate`: changing the mailbox certificate on the command line (core/mailbox/rotation.ts) — import the
 * new .p12, fetch what still waits for the old certificate, switch; resumable: run it again after an interruption.
 *
 *   postfach rotate --store DB --p12 NEW.p12 [--password-env VAR]   begin (or replace a staged key) and run
 *   postfach rotate --store DB                                      continue a begun rotation
 *   postfach rotate --store DB --status | --cancel
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config/load-config.js';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityUnderPolicy, networkSettings } from '../../core/mailbox/policy-connection.js';
import { trustedCaList, withTrustAnchors } from '../../core/mailbox/trusted-cas.js';
import type { CertificateSummary } from '../../core/api/contract/mailbox.js';
import { cancelRotation, rotationStatus, runRotation, stageRotation, type RotationStatus } from '../../core/mailbox/rotation.js';
import { TechLog } from '../../core/ops/tech-log.js';
import { PostfachStore } from '../../core/store/index.js';
import { officeTime, type OfficeTime } from '../../core/time/office-time.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV } from '../mailbox-service.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';
import { printConfigProblems } from './config.js';


/** The first 8 bytes of a SHA-256 fingerprint ("AB:CD:…"), enough to tell certificates apart by eye. */
function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.split(':').slice(0, 8).join(':')}…`;
}

function certificateLines(label: string, c: CertificateSummary, office: OfficeTime): string[] {
  return [`  ${label} ${c.subject} (gültig bis ${office.date(c.validTo, { missing: c.validTo })}, SHA-256 ${c.fingerprintSha256})`, ...c.warnings.map((w) => `            Hinweis: ${w.de}`)];
}

/** The rotation's state in German; times in the office time zone, stated (core/time). */
export function statusText(s: RotationStatus, office: OfficeTime = officeTime()): string {
  const state = { none: 'kein Zertifikatswechsel begonnen', staged: 'neues Zertifikat eingelesen', draining: 'altes Postfach wird geleert (fortsetzbar)', drained: 'altes Postfach leer, bereit zum Umschalten' }[s.state];
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
    for (const step of s.steps) lines.push(`  [${step.done ? 'x' : ' '}] ${step.title.de}: ${step.explanation.de}`);
    lines.push(`  für das alte Zertifikat abgerufen: ${s.fetched}`);
    if (s.lastErrorText) lines.push(`  zuletzt unterbrochen: ${s.lastErrorText.de} Der Wechsel wird beim nächsten Aufruf fortgesetzt (technische Angabe: ${s.lastError}).`);
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
        const config = await loadConfig();
        printConfigProblems(config);
        const store = await PostfachStore.open(opts.store, { password: passwordFromEnv(opts.storePasswordEnv ?? DEFAULT_STORE_PASSWORD_ENV) });
        const log = new TechLog(path.dirname(path.resolve(opts.store)));
        try {
          let status = rotationStatus(store);
          let fetchOutcome: string | undefined;
          if (opts.cancel) {
            status = cancelRotation(store);
            log.write('info', 'rotation.cancelled');
          } else if (!opts.status) {
            if (opts.p12) {
              status = stageRotation(store, { keyFile: opts.p12, password: passwordFromEnv(opts.passwordEnv) }, config);
              log.write('info', 'rotation.staged', { next: status.next?.fingerprintSha256 ?? null });
            }
            if (status.state !== 'none') {
              const run = await runRotation(store, {
                // as the service does: IT's locked connection values, the trusted sender CAs of the store and IT
                adapt: (identity) => withTrustAnchors(identityUnderPolicy(identity, config), trustedCaList(store.trustedCas(), config)),
                fetch: (identity) => runFetch({ store, identity, network: networkSettings(config), onProgress: (p) => process.stderr.write(`\rAbruf für das alte Zertifikat: ${p.messagesDone} Zustellungen`) }),
              });
              process.stderr.write('\n');
              status = run.status;
              fetchOutcome = run.fetch?.outcome;
              log.write(status.state === 'none' ? 'info' : 'warn', status.state === 'none' ? 'rotation.switched' : 'rotation.interrupted', {
                fetched: run.fetch?.newMessages ?? 0,
                errorKind: run.fetch?.error?.kind ?? null,
                current: status.current?.fingerprintSha256 ?? null,
              });
            }
          }
          if (json) printJson({ ok: true, ...status, ...(fetchOutcome ? { fetchOutcome } : {}) });
          else process.stdout.write(statusText(status, officeTime(config.values.officeTimeZone)));
          // a drain that did not finish: partly done, run again
          return status.state === 'draining' ? ExitCode.partial : ExitCode.ok;
        } finally {
          store.close();
        }
      });
    });
}
