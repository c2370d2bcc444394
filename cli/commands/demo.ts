/**
 * `postfach demo [--dir DIR] [--keep-running]`: the whole path on an embedded demo mailbox — test PKI, the local
 * intermediary, a handful of synthetic applications sent as the Sozialplattform would, fetched into a demo store
 * through the typed contract — then says where everything is and which commands show it. The demo is set up and
 * its intermediary runs in the service (contract area "demo", the service's data folder is the demo folder); this
 * command only asks and shows.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { bytes as formatBytes } from '../../core/words/format.js';
import { ExitCode } from '../exit-codes.js';
import { withServiceIn } from '../mailbox-service.js';
import { printJson, runAction } from '../output.js';
import { ensurePrivateFolder } from '../private-folder.js';

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

/**
 * What this start brought to the intermediary, in German words: the applications it sent and those it found there by
 * the intent a stopped run left open (recorded, not sent again). Undefined when it did neither.
 */
export function deliveredWords(demo: { readonly sent: readonly string[]; readonly found: readonly string[]; readonly intermediaryUrl: string }): string | undefined {
  const sent = demo.sent.length;
  const found = demo.found.length;
  if (sent === 0 && found === 0) return undefined;
  const parts = [
    ...(sent > 0 ? [`${sent} ${sent === 1 ? 'Antrag' : 'Anträge'} an ${demo.intermediaryUrl} gesendet`] : []),
    ...(found > 0
      ? [`${found} ${found === 1 ? 'Antrag' : 'Anträge'} schon beim Intermediär ${sent > 0 ? '' : `${demo.intermediaryUrl} `}vorgefunden (nicht noch einmal gesendet)`]
      : []),
  ];
  return parts.join(', ');
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
      // weiter" is printed) ends the demo through demo.stop below, never by the signal's default death
      const stopped = opts.keepRunning ? stopSignal() : undefined;
      await runAction(json, async () => {
        const dir = path.resolve(opts.dir ?? DEFAULT_DEMO_DIR);
        // the default lies in the shared temp folder under a fixed name: used only if it is this user's alone,
        // checked before the service starts in it (it writes its technical log there at once)
        if (opts.dir === undefined) ensurePrivateFolder(dir);
        if (!json) process.stderr.write(`Demo-Postfach in ${dir} wird vorbereitet …\n`);
        return withServiceIn(dir, async (api) => {
          const demo = await api.call('demo.start', {});
          try {
            const delivered = deliveredWords(demo);
            if (!json && delivered !== undefined) process.stderr.write(`${delivered}; Abruf …\n`);
            const fetched = await api.call('mailbox.fetch', {});
            const list = await api.call('messages.list', { limit: 100, sort: 'eingang', descending: false });
            // closed before anything is shown: the commands it names (and `postfach fetch` while the intermediary
            // keeps running) open the store themselves
            await api.call('store.close', {});
            const storePath = demo.store.path;
            const env = `POSTFACH_STORE_PASSWORD="$(cat ${demo.storePasswordFile})"`;
            if (json) {
              printJson({
                ok: fetched.outcome !== 'failed',
                dir,
                store: storePath,
                storePasswordFile: demo.storePasswordFile,
                recoveryKeyFile: demo.recoveryKeyFile,
                pki: demo.pkiDir,
                intermediaryUrl: demo.intermediaryUrl,
                created: demo.created,
                sent: demo.sent,
                found: demo.found,
                fetch: fetched,
                messages: list.total,
              });
            } else {
              const f = fetched;
              const first = list.items[0];
              process.stdout.write(
                [
                  `Demo-Postfach: ${dir}`,
                  `  Abruf: ${f.newMessages} neu, ${f.duplicates} schon vorhanden, ${formatBytes(f.bytes)} (${outcomeWords(f.outcome)})`,
                  `  Im Datenspeicher: ${list.total} Nachricht(en)`,
                  '',
                  'Wo alles liegt:',
                  `  Datenspeicher (verschlüsselt):   ${storePath}`,
                  `  Passwort des Datenspeichers:     ${demo.storePasswordFile}   (nur für die Demo in einer Datei)`,
                  ...(demo.recoveryKeyFile !== null ? [`  Wiederherstellungsschlüssel:     ${demo.recoveryKeyFile}   (nur für die Demo in einer Datei)`] : []),
                  `  Test-PKI (nur für Tests):        ${demo.pkiDir}`,
                  `  Daten des Intermediärs:          ${demo.intermediaryDir}`,
                  `  Intermediär:                     ${demo.intermediaryUrl}${opts.keepRunning ? '' : ' (beendet)'}`,
                  '',
                  'Ansehen:',
                  `  export ${env}`,
                  `  postfach list --store ${storePath}`,
                  ...(first
                    ? [
                        `  postfach show ${first.id} --store ${storePath}`,
                        `  postfach export ${first.id} --store ${storePath} --pdf antrag.pdf --xml antrag.xml --attachments anlagen --receipt eingang.pdf`,
                      ]
                    : []),
                  '',
                ].join('\n'),
              );
            }
            if (stopped !== undefined) {
              if (!json) {
                process.stdout.write(
                  `Der Intermediär läuft weiter. Weitere Anträge senden:\n  postfach send --intermediary ${demo.intermediaryUrl} --pki ${demo.pkiDir} --count 3\nabrufen:\n  postfach fetch --store ${storePath}\nEnde mit Strg+C.\n`,
                );
              }
              await stopped.signal;
            }
            if (fetched.outcome === 'failed') return ExitCode.failed;
            return fetched.unreadable > 0 ? ExitCode.partial : ExitCode.ok;
          } finally {
            // the intermediary stopped properly (after the application on its way); the service ends right after,
            // and the intermediary with it, should this call fail
            await api.call('demo.stop', {}).catch(() => undefined);
          }
        });
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
