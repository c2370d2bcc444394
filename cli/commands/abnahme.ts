/**
 * `postfach abnahme ID --store DB --out FILE`: the acceptance record (Abnahmeprotokoll) of a stored Testantrag as
 * PDF (an existing FILE is refused unless --force), made by the service (`abnahme.create`) as in the desktop app.
 * The command line has no browser: the record then carries the text of the summary cards instead of a screenshot,
 * and says so (`--screenshot PNG` adds a picture taken elsewhere, e.g. in the desktop app).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { SCREENSHOT_MAX_BYTES } from '../../core/api/contract/ops.js';
import { PostfachError } from '../../core/errors.js';
import { clipText } from '../../core/text-bounds.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, storeIdOf, withMailboxService } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';

/** The screenshot file as the contract carries it (base64), read before the service starts. */
function readScreenshot(file: string): string {
  let png: Buffer;
  try {
    png = readFileSync(file);
  } catch (error) {
    throw new PostfachError(
      'input-file',
      { de: 'Das Bildschirmfoto kann nicht gelesen werden.', en: 'The screenshot cannot be read.' },
      `--screenshot: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (png.length > SCREENSHOT_MAX_BYTES) {
    throw new PostfachError(
      'input-file',
      { de: 'Das Bildschirmfoto ist zu groß (höchstens 8 MB).', en: 'The screenshot is too large (8 MB at most).' },
      `--screenshot: ${png.length} bytes, at most ${SCREENSHOT_MAX_BYTES}`,
    );
  }
  return png.toString('base64');
}

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
        // the contract carries a file name of at most 200 characters: a longer one is cut, not refused
        const screenshot =
          opts.screenshot === undefined ? undefined : { screenshot: readScreenshot(opts.screenshot), screenshotSource: clipText(`Datei ${path.basename(opts.screenshot)}`, 200) };
        const result = await withMailboxService(opts.store, async ({ api }) => {
          await openStore(api, opts);
          const id = await storeIdOf(api, ref);
          return api.call('abnahme.create', { id, target: path.resolve(opts.out), replace: opts.force === true, ...screenshot }).catch((error: unknown) => {
            if (error instanceof PostfachError && error.kind === 'export-target-exists') {
              throw new PostfachError(
                error.kind,
                {
                  de: 'Die Datei (--out) gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen oder sie mit --force ersetzen.',
                  en: 'The file (--out) already exists. It is not overwritten; please choose another name or replace it with --force.',
                },
                error.detail,
                { cause: error },
              );
            }
            throw error;
          });
        });
        if (json) printJson({ ok: true, ...result });
        else {
          process.stdout.write(`Abnahmeprotokoll geschrieben: ${result.path}\n`);
          if (!result.screenshot)
            process.stderr.write(
              'Hinweis: ohne Browser erstellt – statt eines Bildschirmfotos enthält das Protokoll die Übersicht als Text. Mit --screenshot PNG kann ein Bild (z. B. aus dem Desktop-Programm) beigefügt werden.\n',
            );
        }
        return ExitCode.ok;
      });
    });
}
