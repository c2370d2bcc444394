/**
 * `postfach demo [--dir DIR] [--keep-running]`: the whole path on an embedded demo mailbox — test PKI, the local
 * intermediary, a handful of synthetic applications sent as the Sozialplattform would, fetched into a demo store
 * through the typed contract — then says where everything is and which commands show it.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { ensurePrivateFolder } from '../../core/io/private-folder.js';
import { bytes as formatBytes } from '../../core/words/format.js';
import { ExitCode } from '../exit-codes.js';
import { withMailboxService } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';

interface DemoCli {
  readonly dir?: string;
  readonly keepRunning?: boolean;
  readonly json?: boolean;
}

export const DEFAULT_DEMO_DIR = path.join(os.tmpdir(), 'osci-postfach-demo');

/** How the demo's fetch ended, in German words for the summary line. */
export function outcomeWords(outcome: 'complete' | 'cancelled' | 'failed'): string {
  return { complete: 'Postfach leer', cancelled: 'abgebrochen', failed: 'fehlgeschlagen' }[outcome];
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('Demo-Postfach: Test-PKI, lokaler Intermediär, einige Anträge senden und abrufen, dann zeigen, wo alles liegt')
    .option('--dir <dir>', `Ordner des Demo-Postfachs (Standard: ${DEFAULT_DEMO_DIR}; wird wiederverwendet)`)
    .option('--keep-running', 'den Intermediär weiterlaufen lassen (Ende mit Strg+C), z. B. um mit „postfach send“ weitere Anträge zu senden')
    .option('--json', 'Ergebnis als JSON')
    .action(async (opts: DemoCli) => {
      const json = opts.json === true;
      // listening for the stop before anything is set up or said: a SIGTERM at any moment (also right after "läuft
      // weiter" is printed) ends the demo through demo.close() below, never by the signal's default death
      const stopped = opts.keepRunning ? stopSignal() : undefined;
      await runAction(json, async () => {
        const dir = path.resolve(opts.dir ?? DEFAULT_DEMO_DIR);
        // the default lies in the shared temp folder under a fixed name: use it only if it is this user's alone
        if (opts.dir === undefined) ensurePrivateFolder(dir);
        if (!json) process.stderr.write(`Demo-Postfach in ${dir} wird vorbereitet …\n`);
        // loaded here, not at start-up: the intermediary and the generator are only needed by this command
        const { startDemoMailbox } = await import('../../app/demo-mailbox.js');
        const demo = await startDemoMailbox(dir);
        try {
          if (!json && demo.created) process.stderr.write(`${demo.sent.length} Anträge an ${demo.intermediaryUrl} gesendet; Abruf …\n`);
          const result = await withMailboxService(demo.storePath, async ({ api }) => {
            await api.call('store.open', { path: demo.storePath, unlock: demo.unlock });
            const fetched = await api.call('mailbox.fetch', {});
            const list = await api.call('messages.list', { limit: 100, sort: 'eingang', descending: false });
            return { fetched, list };
          });
          const passwordFile = path.join(dir, 'store-password');
          // written when the demo store was created (app/demo-mailbox.ts); a folder from an older version may lack it
          const recoveryKeyFile = path.join(dir, 'recovery-key.txt');
          const hasRecoveryKey = existsSync(recoveryKeyFile);
          const env = `POSTFACH_STORE_PASSWORD="$(cat ${passwordFile})"`;
          if (json) {
            printJson({
              ok: result.fetched.outcome !== 'failed',
              dir,
              store: demo.storePath,
              storePasswordFile: passwordFile,
              recoveryKeyFile: hasRecoveryKey ? recoveryKeyFile : null,
              pki: demo.pkiDir,
              intermediaryUrl: demo.intermediaryUrl,
              created: demo.created,
              sent: demo.sent.map((s) => s.messageId),
              fetch: result.fetched,
              messages: result.list.total,
            });
          } else {
            const f = result.fetched;
            const first = result.list.items[0];
            process.stdout.write(
              [
                `Demo-Postfach: ${dir}`,
                `  Abruf: ${f.newMessages} neu, ${f.duplicates} schon vorhanden, ${formatBytes(f.bytes)} (${outcomeWords(f.outcome)})`,
                `  Im Datenspeicher: ${result.list.total} Nachricht(en)`,
                '',
                'Wo alles liegt:',
                `  Datenspeicher (verschlüsselt):   ${demo.storePath}`,
                `  Passwort des Datenspeichers:     ${passwordFile}   (nur für die Demo in einer Datei)`,
                ...(hasRecoveryKey ? [`  Wiederherstellungsschlüssel:     ${recoveryKeyFile}   (nur für die Demo in einer Datei)`] : []),
                `  Test-PKI (nur für Tests):        ${demo.pkiDir}`,
                `  Daten des Intermediärs:          ${path.join(dir, 'intermediary')}`,
                `  Intermediär:                     ${demo.intermediaryUrl}${opts.keepRunning ? '' : ' (beendet)'}`,
                '',
                'Ansehen:',
                `  export ${env}`,
                `  postfach list --store ${demo.storePath}`,
                ...(first
                  ? [
                      `  postfach show ${first.id} --store ${demo.storePath}`,
                      `  postfach export ${first.id} --store ${demo.storePath} --pdf antrag.pdf --xml antrag.xml --attachments anlagen --receipt eingang.pdf`,
                    ]
                  : []),
                '',
              ].join('\n'),
            );
          }
          if (stopped !== undefined) {
            if (!json) {
              process.stdout.write(
                `Der Intermediär läuft weiter. Weitere Anträge senden:\n  postfach send --intermediary ${demo.intermediaryUrl} --pki ${demo.pkiDir} --count 3\nabrufen:\n  postfach fetch --store ${demo.storePath}\nEnde mit Strg+C.\n`,
              );
            }
            await stopped.signal;
          }
          if (result.fetched.outcome === 'failed') return ExitCode.failed;
          return result.fetched.unreadable > 0 ? ExitCode.partial : ExitCode.ok;
        } finally {
          await demo.close();
        }
      }).finally(() => stopped?.dispose());
    });
}

/** SIGINT or SIGTERM from now on: `signal` resolves (once), and the process is not ended by the signal itself. */
function stopSignal(): { readonly signal: Promise<void>; dispose(): void } {
  let stop = (): void => undefined;
  const signal = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
