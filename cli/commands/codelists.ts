/**
 * `postfach codelists import <file…>` and `postfach codelists list`: the code lists that turn codes into texts
 * (README "Code lists"). Import checks each Genericode file and keeps it in the store (several versions of a list
 * side by side; the version a message names wins); a file that is no usable code list is refused with a German
 * sentence and nothing of it is kept — the others of the same call are still taken (exit 3 when some were refused).
 * List shows the shipped lists with their source and, with `--store`, those imported into that store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../core/api/contract.js';
import { toPostfachError } from '../../core/errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_PASSWORD_ENV, openStore, withMailboxService } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';

interface ImportCli {
  readonly store: string;
  readonly storePasswordEnv: string;
  readonly json?: boolean;
}

interface ListCli {
  readonly store?: string;
  readonly storePasswordEnv: string;
  readonly json?: boolean;
}

const ORIGIN: Readonly<Record<string, string>> = { shipped: 'mit dem Programm', imported: 'übernommen', folder: 'aus dem Codelisten-Ordner' };

function printList(listing: MethodOutput<'codelists.list'>): void {
  for (const l of listing.lists) {
    process.stdout.write(
      `${l.name}\n  ${l.listURI || '(Kennung nicht öffentlich)'}  Version ${l.listVersionID || '–'}  ${l.codes} Codes  ${ORIGIN[l.origin] ?? l.origin}\n  Quelle: ${l.source}\n`,
    );
  }
  if (listing.folder.path) process.stdout.write(`Codelisten-Ordner (Richtlinie): ${listing.folder.path}\n`);
  for (const r of listing.folder.refused) process.stdout.write(`  nicht übernommen: ${r.fileName} (${r.kind}: ${r.detail})\n`);
}

export function register(program: Command): void {
  const codelists = program.command('codelists').description('Codelisten (Genericode) übernehmen und anzeigen');

  codelists
    .command('import')
    .description('Genericode-Dateien prüfen und in den Datenspeicher übernehmen')
    .argument('<files...>', 'Codelisten als Genericode-Dateien (XRepository)')
    .requiredOption('--store <path>', 'der Datenspeicher (Datenbankdatei)')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort des Datenspeichers', DEFAULT_STORE_PASSWORD_ENV)
    .option('--json', 'Ausgabe als JSON')
    .action(async (files: string[], opts: ImportCli) => {
      const json = opts.json === true;
      await runAction(json, () =>
        withMailboxService(opts.store, async ({ api }) => {
          await openStore(api, opts);
          const results: Array<{
            file: string;
            ok: boolean;
            result?: string;
            list?: MethodOutput<'codelists.import'>['list'];
            error?: ReturnType<ReturnType<typeof toPostfachError>['toJSON']>;
          }> = [];
          for (const file of files) {
            try {
              const done = await api.call('codelists.import', { file });
              results.push({ file, ok: true, result: done.result, list: done.list });
              if (!json) {
                const what = done.result === 'unchanged' ? 'liegt unverändert vor' : done.result === 'replaced' ? 'ersetzt' : 'übernommen';
                process.stdout.write(`${file}: „${done.list.name}“ (${done.list.listURI}), Version ${done.list.listVersionID}, ${done.list.codes} Codes – ${what}\n`);
              }
            } catch (error) {
              const e = toPostfachError(error);
              results.push({ file, ok: false, error: e.toJSON() });
              if (!json) process.stderr.write(`${file}: Fehler: ${e.text.de}\n  Technische Angabe: ${e.detail}\n`);
            }
          }
          const refused = results.filter((r) => !r.ok).length;
          if (json) printJson({ ok: refused === 0, files: results });
          if (refused === 0) return ExitCode.ok;
          return refused === results.length ? ExitCode.failed : ExitCode.partial;
        }),
      );
    });

  codelists
    .command('list')
    .description('die Codelisten, die das Programm verwendet (mit --store auch die übernommenen)')
    .option('--store <path>', 'der Datenspeicher (Datenbankdatei)')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort des Datenspeichers', DEFAULT_STORE_PASSWORD_ENV)
    .option('--json', 'Ausgabe als JSON')
    .action(async (opts: ListCli) => {
      const json = opts.json === true;
      // without a store the service still knows the shipped lists: it runs on a private temporary data folder
      const scratch = opts.store === undefined ? mkdtempSync(path.join(os.tmpdir(), 'postfach-codelists-')) : undefined;
      try {
        await runAction(json, () =>
          withMailboxService(opts.store ?? path.join(scratch!, 'postfach.db'), async ({ api }) => {
            if (opts.store !== undefined) await openStore(api, { store: opts.store, storePasswordEnv: opts.storePasswordEnv });
            const listing = await api.call('codelists.list', {});
            if (json) printJson(listing);
            else printList(listing);
            return ExitCode.ok;
          }),
        );
      } finally {
        if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
      }
    });
}
