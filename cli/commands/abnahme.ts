/**
 * `postfach abnahme ID --store DB --out FILE`: the acceptance record (Abnahmeprotokoll) of a stored Testantrag as
 * PDF (an existing FILE is refused unless --force). The command line has no browser: the record then carries the text of the summary cards instead of a
 * screenshot, and says so (`--screenshot PNG` adds a picture taken elsewhere, e.g. in the desktop app).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readAppVersion } from '../../core/api/app-version.js';
import { assertExportAllowed } from '../../core/config/export-folders.js';
import { loadConfig } from '../../core/config/load-config.js';
import { PostfachError } from '../../core/errors.js';
import { acceptanceRecord } from '../../core/mailbox/acceptance.js';
import { TechLog } from '../../core/ops/tech-log.js';
import { PostfachStore } from '../../core/store/index.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV } from '../mailbox-service.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

export function register(program: Command): void {
  program
    .command('abnahme')
    .description('Abnahmeprotokoll (PDF) eines Testantrags: Eingang, Nachrichtenkennung, Entschlüsselung, Signaturen, Anzeige, Protokollzeilen')
    .argument('<id>', 'Nummer der Nachricht im Datenspeicher oder OSCI-Nachrichtenkennung')
    .requiredOption('--store <path>', 'der Datenspeicher')
    .requiredOption('--out <file>', 'die PDF-Datei')
    .option('--screenshot <png>', 'ein Bildschirmfoto der Antragsanzeige (PNG), anderswo aufgenommen')
    .option('--force', 'eine vorhandene Datei --out ersetzen (sonst wird sie nicht überschrieben)')
    .option('--store-password-env <var>', `Umgebungsvariable mit dem Passwort des Datenspeichers (Standard: ${DEFAULT_STORE_PASSWORD_ENV})`)
    .option('--json', 'Ergebnis als JSON')
    .action(async (ref: string, opts: { store: string; out: string; screenshot?: string; force?: boolean; storePasswordEnv?: string; json?: boolean }) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        const password = passwordFromEnv(opts.storePasswordEnv ?? DEFAULT_STORE_PASSWORD_ENV);
        const config = await loadConfig();
        assertExportAllowed(config, opts.out);
        let screenshot: Buffer | undefined;
        if (opts.screenshot) {
          try {
            screenshot = readFileSync(opts.screenshot);
          } catch (error) {
            throw new PostfachError('input-file', { de: 'Das Bildschirmfoto kann nicht gelesen werden.', en: 'The screenshot cannot be read.' }, `--screenshot: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
          }
        }
        const store = await PostfachStore.open(opts.store, { password });
        try {
          const id = /^\d+$/.test(ref) ? Number(ref) : store.findByMessageId(ref);
          if (id === undefined) throw new PostfachError('store-unknown-message', { de: 'Diese Nachricht gibt es im Datenspeicher nicht.', en: 'There is no such message in the data store.' }, `no message ${ref.slice(0, 100)}`);
          const result = await acceptanceRecord(store, id, {
            out: opts.out,
            replace: opts.force === true,
            programVersion: readAppVersion(),
            timeZone: config.values.officeTimeZone,
            log: new TechLog(path.dirname(path.resolve(opts.store))),
            ...(screenshot ? { screenshot: { png: screenshot, source: `Datei ${path.basename(opts.screenshot as string)}` } } : { noScreenshotReason: 'auf der Kommandozeile ohne Browser erstellt' }),
          }).catch((error: unknown) => {
            if (error instanceof PostfachError && error.kind === 'export-target-exists') {
              throw new PostfachError(
                error.kind,
                { de: 'Die Datei (--out) gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen oder sie mit --force ersetzen.', en: 'The file (--out) already exists. It is not overwritten; please choose another name or replace it with --force.' },
                error.detail,
                { cause: error },
              );
            }
            throw error;
          });
          if (json) printJson({ ok: true, ...result });
          else {
            process.stdout.write(`Abnahmeprotokoll geschrieben: ${result.path}\n`);
            if (!result.screenshot) process.stderr.write('Hinweis: ohne Browser erstellt – statt eines Bildschirmfotos enthält das Protokoll die Übersicht als Text. Mit --screenshot PNG kann ein Bild (z. B. aus dem Desktop-Programm) beigefügt werden.\n');
          }
          return ExitCode.ok;
        } finally {
          store.close();
        }
      });
    });
}
