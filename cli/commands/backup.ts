/**
 * `postfach backup create|restore|verify`: the whole mailbox (store, attachments, keys, settings) into one encrypted,
 * password-protected file and back, made by the service (`backup.*` of the contract) as in the desktop app. The backup password comes from an environment variable (default
 * POSTFACH_BACKUP_PASSWORD), like every password of the command line.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { BackupSummaryDto as BackupSummary } from '../../core/api/contract/ops.js';
import { bytes as formatBytes } from '../../core/words/format.js';
import { ExitCode } from '../exit-codes.js';
import { configuredOfficeTime } from '../office-time.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, withMailboxService } from '../mailbox-service.js';

export const DEFAULT_BACKUP_PASSWORD_ENV = 'POSTFACH_BACKUP_PASSWORD';

interface CommonCli {
  readonly backupPasswordEnv?: string;
  readonly json?: boolean;
}

function summaryLines(s: BackupSummary): string {
  return `  Nachrichten: ${s.messages}\n  Protokolleinträge: ${s.auditEntries}\n  Dateien: ${s.files} (${formatBytes(s.bytes)})\n`;
}

export function register(program: Command): void {
  const backup = program.command('backup').description('Sicherung des ganzen Postfachs (Datenspeicher, Anlagen, Schlüssel, Einstellungen) in eine verschlüsselte Datei');

  backup
    .command('create')
    .description('eine Sicherung erstellen (das Programm darf dabei laufen)')
    .requiredOption('--store <path>', 'der Datenspeicher')
    .requiredOption('--out <file>', 'die Sicherungsdatei (.pfbak; wird nicht überschrieben)')
    .option('--store-password-env <var>', `Umgebungsvariable mit dem Passwort des Datenspeichers (Standard: ${DEFAULT_STORE_PASSWORD_ENV})`)
    .option('--backup-password-env <var>', `Umgebungsvariable mit dem Passwort der Sicherung (Standard: ${DEFAULT_BACKUP_PASSWORD_ENV})`)
    .option('--json', 'Ergebnis als JSON')
    .action(async (opts: CommonCli & { store: string; out: string; storePasswordEnv?: string }) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        const backupPassword = passwordFromEnv(opts.backupPasswordEnv ?? DEFAULT_BACKUP_PASSWORD_ENV);
        const created = await withMailboxService(opts.store, async ({ api }) => {
          await openStore(api, opts);
          return api.call('backup.create', { target: path.resolve(opts.out), password: backupPassword });
        });
        if (json) printJson({ ok: true, file: created.path, summary: created.summary, entries: created.entries });
        else process.stdout.write(`Sicherung erstellt: ${created.path}\n${summaryLines(created.summary)}Bitte das Passwort der Sicherung getrennt von der Datei aufbewahren.\n`);
        return ExitCode.ok;
      });
    });

  backup
    .command('verify')
    .description('eine Sicherung vollständig entschlüsseln und prüfen, ohne etwas zu schreiben')
    .argument('<file>', 'die Sicherungsdatei')
    .option('--backup-password-env <var>', `Umgebungsvariable mit dem Passwort der Sicherung (Standard: ${DEFAULT_BACKUP_PASSWORD_ENV})`)
    .option('--json', 'Ergebnis als JSON')
    .action(async (file: string, opts: CommonCli) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        const password = passwordFromEnv(opts.backupPasswordEnv ?? DEFAULT_BACKUP_PASSWORD_ENV);
        // verifying writes nothing: the service works in a private folder of its own (its technical log included),
        // removed afterwards, not beside the backup file (a USB stick, a share)
        const scratch = mkdtempSync(path.join(os.tmpdir(), 'postfach-verify-'));
        const verified = await withMailboxService(path.join(scratch, 'postfach.db'), ({ api }) => api.call('backup.verify', { file: path.resolve(file), password })).finally(() =>
          rmSync(scratch, { recursive: true, force: true }),
        );
        if (json) printJson({ ok: true, ...verified });
        else
          process.stdout.write(
            `Sicherung in Ordnung (erstellt ${(await configuredOfficeTime()).stated(verified.createdAt, { missing: verified.createdAt })}, Programmversion ${verified.appVersion}):\n${summaryLines(verified.summary)}`,
          );
        return ExitCode.ok;
      });
    });

  backup
    .command('restore')
    .description('eine Sicherung in einen leeren Ort zurückspielen (anderer PC, neues Benutzerprofil)')
    .argument('<file>', 'die Sicherungsdatei')
    .requiredOption('--store <path>', 'wohin der Datenspeicher kommt (dort darf noch keiner liegen)')
    .option('--backup-password-env <var>', `Umgebungsvariable mit dem Passwort der Sicherung (Standard: ${DEFAULT_BACKUP_PASSWORD_ENV})`)
    .option('--no-settings', 'die Einstellungen (workspace.json) nicht zurückspielen')
    .option('--json', 'Ergebnis als JSON')
    .action(async (file: string, opts: CommonCli & { store: string; settings: boolean }) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        const password = passwordFromEnv(opts.backupPasswordEnv ?? DEFAULT_BACKUP_PASSWORD_ENV);
        // the service's data folder is the store's folder: the settings (workspace.json) are restored there, and its
        // technical log is written there; a restore that fails leaves nothing where there was nothing before
        const folder = path.dirname(path.resolve(opts.store));
        const fresh = !existsSync(folder);
        const restored = await withMailboxService(opts.store, ({ api }) =>
          api.call('backup.restore', { file: path.resolve(file), password, storePath: path.resolve(opts.store), ...(opts.settings ? {} : { settings: false }) }),
        ).catch((error: unknown) => {
          if (fresh) rmSync(folder, { recursive: true, force: true });
          throw error;
        });
        if (json) printJson({ ok: true, ...restored });
        else
          process.stdout.write(
            `Sicherung zurückgespielt: ${restored.storePath}\n${summaryLines(restored.summary)}` +
              'Der Datenspeicher öffnet sich mit seinem bisherigen Passwort oder dem Wiederherstellungsschlüssel.\n' +
              'Im Desktop-Programm beim ersten Start „Mit Wiederherstellungsschlüssel öffnen“ wählen; danach merkt sich Windows den Zugang für diesen Benutzer.\n',
          );
        return ExitCode.ok;
      });
    });
}
