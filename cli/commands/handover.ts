/**
 * `postfach handover --store DB [--again ID] [--json]`: the hand-over folder for the case system (README "Übergabe an
 * das Fachverfahren"). Without --again: hands every pending delivery over now (after the folder was unwritable,
 * say); `fetch` does this by itself after each run. With --again: writes that message (store id or OSCI message id)
 * once more into a new folder `<name>-erneut-<n>`, audited. The folder is IT's setting `handoverFolder`.
 */
import type { Command } from 'commander';
import { PostfachError } from '../../core/errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, withMailboxService } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';

interface HandoverCli {
  readonly store: string;
  readonly storePasswordEnv: string;
  readonly again?: string;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('handover')
    .description('neue Nachrichten jetzt in den Übergabeordner für das Fachverfahren schreiben, oder mit --again eine erneut')
    .requiredOption('--store <path>', 'der Datenspeicher (Datenbankdatei)')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort des Datenspeichers', DEFAULT_STORE_PASSWORD_ENV)
    .option('--again <id>', 'diese Nachricht (Nummer oder OSCI-Nachrichtenkennung) erneut übergeben, in einen neuen Ordner')
    .option('--json', 'Ausgabe als JSON')
    .action(async (opts: HandoverCli) => {
      const json = opts.json === true;
      await runAction(json, () =>
        withMailboxService(opts.store, async ({ api }) => {
          await openStore(api, opts);
          if (opts.again !== undefined) {
            const id = opts.again;
            const messageId = /^\d+$/.test(id) ? undefined : id;
            const list = messageId ? await api.call('messages.list', { search: messageId, limit: 10 }) : undefined;
            const storeId = messageId ? list?.items.find((i) => i.messageId === messageId)?.id : Number(id);
            if (storeId === undefined)
              throw new PostfachError(
                'store-unknown-message',
                { de: 'Diese Nachricht gibt es im Datenspeicher nicht (mehr).', en: 'This message is not (or no longer) in the data store.' },
                'no message with that OSCI message id',
              );
            const done = await api.call('handover.again', { id: storeId });
            if (json) printJson({ ok: true, ...done });
            else process.stdout.write(done.state === 'done' ? `Erneut übergeben: ${done.path}\n` : `Nicht lesbar oder gesperrt – nur die Fehlerdatei geschrieben: ${done.path}\n`);
            return ExitCode.ok;
          }
          const run = await api.call('handover.run', {});
          if (json) printJson({ ok: run.error === undefined, ...run });
          else {
            process.stdout.write(`Übergeben: ${run.handedOver}, nur Fehlerdatei (nicht lesbar/gesperrt): ${run.refused}, noch offen: ${run.pending}\n`);
            if (run.error) process.stderr.write(`Fehler: ${run.error.message}\n  Technische Angabe: ${run.error.kind}: ${run.error.detail}\n`);
          }
          return run.error ? ExitCode.failed : ExitCode.ok;
        }),
      );
    });
}
