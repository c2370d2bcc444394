/**
 * `postfach serve`: the headless fetch service for a team (core/serve/): fetches on a schedule and on demand, and
 * serves the UI and the typed contract over HTTPS to browser-mode clients, each person signed in with a personal
 * account and a role. `postfach serve account …` manages those accounts (the account file beside the store).
 * Runs until SIGINT/SIGTERM (systemd stop, Windows service stop through its wrapper).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { PostfachError } from '../../core/errors.js';
import { AccountStore } from '../../core/serve/accounts.js';
import { isRole, ROLE_WORDS, type Role } from '../../core/serve/roles.js';
import { restoreSharedStore } from '../../core/serve/pg-move.js';
import { runServe } from '../../core/serve/run.js';
import { defaultAccountsFile, resolveServeConfig } from '../../core/serve/serve-config.js';
import { ExitCode } from '../exit-codes.js';
import { passwordFromEnv, printJson, runAction } from '../output.js';

interface ServeOptions {
  readonly config?: string;
  readonly store?: string;
  readonly listen?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly plainHttpLoopback?: boolean;
  readonly fetchInterval?: string;
  readonly storePasswordFile?: string;
  readonly storePasswordEnv?: string;
  readonly accounts?: string;
  readonly wait?: string;
}

interface AccountOptions {
  readonly config?: string;
  readonly store?: string;
  readonly accounts?: string;
  readonly role?: string;
  readonly passwordEnv?: string;
  readonly json?: boolean;
}

/** The project (or installed app) root, where dist/renderer is. */
function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const usage = (de: string, en: string, detail: string): PostfachError => new PostfachError('usage', { de, en }, detail);

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usage(`Ungültiger Wert für ${name}.`, `Invalid value for ${name}.`, `${name} ${value}`);
  return n;
}

function accountStoreOf(options: AccountOptions): AccountStore {
  if (options.accounts !== undefined) return new AccountStore(path.resolve(options.accounts));
  if (options.store !== undefined) return new AccountStore(defaultAccountsFile(path.resolve(options.store)));
  if (options.config !== undefined) {
    const config = resolveServeConfig(options.config, {});
    return new AccountStore(config.accountsFile ?? defaultAccountsFile(config.store));
  }
  throw usage('Bitte --config, --store oder --accounts angeben.', 'Please give --config, --store or --accounts.', 'no account file named');
}

function roleOf(value: string | undefined): Role {
  if (!isRole(value)) throw usage('Rolle: sachbearbeitung, leitung oder it.', 'Role: sachbearbeitung, leitung or it.', `--role ${value ?? '(missing)'}`);
  return value;
}

/**
 * The account command's options with those commander gave to `serve` itself: `serve` has --config, --store and
 * --accounts too, so `serve account add … --store DB` lands there.
 */
const accountOptions = (command: Command): AccountOptions => command.optsWithGlobals<AccountOptions>();

const DEFAULT_ACCOUNT_PASSWORD_ENV = 'POSTFACH_ACCOUNT_PASSWORD';

function accountCommand(serve: Command, name: string, description: string): Command {
  return serve
    .command(name)
    .description(description)
    .option('--config <file>', 'Einstellungsdatei des Dienstes (nennt Datenspeicher und Kontendatei)')
    .option('--store <db>', 'Datenspeicher (Kontendatei daneben: <db>.accounts.json)')
    .option('--accounts <file>', 'Kontendatei');
}

export function register(program: Command): void {
  const serve = program
    .command('serve')
    .description('Abrufdienst für ein Team: ruft ab (Zeitplan und auf Anforderung) und bedient die Oberfläche über HTTPS mit persönlicher Anmeldung')
    .option('--config <file>', 'Einstellungsdatei (JSON; Werte unten überschreiben sie)')
    .option('--store <db>', 'Datenspeicher (Datenbankdatei)')
    .option('--listen <host:port>', 'Adresse und Port (Standard 127.0.0.1:8443)')
    .option('--tls-cert <file>', 'TLS-Zertifikat (PEM) der IT')
    .option('--tls-key <file>', 'privater TLS-Schlüssel (PEM) der IT')
    .option('--plain-http-loopback', 'ohne TLS, nur an einer Loopback-Adresse: zum Ausprobieren auf einem Rechner')
    .option('--fetch-interval <minutes>', 'Minuten zwischen zwei Abrufen (0: nur auf Anforderung; Standard 15)')
    .option('--store-password-file <file>', 'Datei mit dem Passwort des Datenspeichers (chmod 600)')
    .option('--store-password-env <var>', 'Umgebungsvariable mit dem Passwort (Standard POSTFACH_STORE_PASSWORD)')
    .option('--accounts <file>', 'Kontendatei (Standard: <store>.accounts.json)')
    .option('--wait <seconds>', 'so lange warten, wenn schon ein Dienst für diesen Datenspeicher läuft (Standard 0: sofort ablehnen)')
    .action((options: ServeOptions) =>
      runAction(false, async () => {
        const config = resolveServeConfig(options.config, {
          store: options.store,
          listen: options.listen,
          tlsCert: options.tlsCert === undefined ? undefined : path.resolve(options.tlsCert),
          tlsKey: options.tlsKey === undefined ? undefined : path.resolve(options.tlsKey),
          plainHttpOnLoopback: options.plainHttpLoopback,
          fetchIntervalMinutes: integerOption(options.fetchInterval, '--fetch-interval'),
          storePasswordFile: options.storePasswordFile === undefined ? undefined : path.resolve(options.storePasswordFile),
          storePasswordEnv: options.storePasswordEnv,
          accountsFile: options.accounts === undefined ? undefined : path.resolve(options.accounts),
          waitSeconds: integerOption(options.wait, '--wait'),
        });
        const rendererDir = path.join(appRoot(), 'dist', 'renderer');
        if (!existsSync(path.join(rendererDir, 'index.html'))) {
          throw new PostfachError(
            'ui-not-built',
            { de: 'Die Oberfläche ist nicht gebaut. Bitte zuerst „npm run build“ ausführen.', en: 'The user interface is not built. Please run "npm run build" first.' },
            `missing ${path.join(rendererDir, 'index.html')}`,
          );
        }
        const report = (line: string): void => void process.stdout.write(`${line}\n`);
        // listening for the stop before anything runs: a stop that comes while the service starts (or the moment
        // it says it runs) ends it cleanly instead of killing it with the lock held
        const stopping = new AbortController();
        const stop = new Promise<void>((resolve) => {
          const stopNow = (): void => {
            stopping.abort();
            resolve();
          };
          process.once('SIGINT', stopNow);
          process.once('SIGTERM', stopNow);
        });
        const running = await runServe(config, { rendererDir, report, signal: stopping.signal });
        report(
          config.fetchIntervalMinutes > 0
            ? `Abruf alle ${config.fetchIntervalMinutes} min / fetch every ${config.fetchIntervalMinutes} min`
            : 'Abruf nur auf Anforderung / fetch on demand only',
        );
        report(`Abrufdienst läuft / fetch service running: ${running.origin}`);
        await stop;
        await running.close();
        report('Abrufdienst beendet / fetch service stopped');
        return ExitCode.ok;
      }),
    );

  serve
    .command('restore <file>')
    .description('Umzug: eine Sicherung des Team-Datenspeichers in die leere PostgreSQL-Datenbank der Einstellungen zurückspielen (Dienst dabei nicht gestartet)')
    .option('--config <file>', 'Einstellungsdatei des Abrufdienstes mit Abschnitt „postgresql“ (erforderlich)')
    .option('--backup-password-env <var>', 'Umgebungsvariable mit dem Passwort der Sicherung (Standard POSTFACH_BACKUP_PASSWORD)')
    .option('--json', 'Ergebnis als JSON')
    .action((file: string, _options: unknown, command: Command) => {
      // --config may stand before or after "restore" (serve itself takes it too)
      const options = command.optsWithGlobals<{ config?: string; backupPasswordEnv?: string; json?: boolean }>();
      return runAction(options.json === true, async () => {
        if (options.config === undefined)
          throw new PostfachError('usage', { de: 'Bitte --config <serve.json> angeben.', en: 'Please give --config <serve.json>.' }, 'serve restore without --config');
        const config = resolveServeConfig(options.config, {});
        const restored = await restoreSharedStore(config, path.resolve(file), passwordFromEnv(options.backupPasswordEnv ?? 'POSTFACH_BACKUP_PASSWORD'));
        if (options.json === true) printJson({ ok: true, ...restored });
        else
          process.stdout.write(
            `Zurückgespielt in die Datenbank ${restored.database} (Schlüsseldatei ${restored.keyFile}): ${restored.summary.messages} Nachrichten, ${restored.summary.auditEntries} Protokolleinträge.\n` +
              `Restored into database ${restored.database} (key file ${restored.keyFile}): ${restored.summary.messages} messages, ${restored.summary.auditEntries} audit entries.\n`,
          );
        return ExitCode.ok;
      });
    });

  const account = serve.command('account').description('persönliche Konten des Abrufdienstes verwalten');
  accountCommand(account, 'add <name>', 'Konto anlegen (Passwort aus der Umgebungsvariable, Standard POSTFACH_ACCOUNT_PASSWORD)')
    .requiredOption('--role <role>', 'sachbearbeitung, leitung oder it')
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort')
    .action((name: string, _options: AccountOptions, command: Command) =>
      runAction(false, async () => {
        const options = accountOptions(command);
        const role = roleOf(options.role);
        await accountStoreOf(options).add(name, role, passwordFromEnv(options.passwordEnv ?? DEFAULT_ACCOUNT_PASSWORD_ENV));
        process.stdout.write(`Konto ${name} angelegt (${ROLE_WORDS[role].de}). / Account ${name} added (${ROLE_WORDS[role].en}).\n`);
      }),
    );
  accountCommand(account, 'disable <name>', 'Konto sperren (laufende Sitzungen enden)').action((name: string, _options: AccountOptions, command: Command) =>
    runAction(false, async () => {
      const options = accountOptions(command);
      await accountStoreOf(options).setDisabled(name, true);
      process.stdout.write(`Konto ${name} gesperrt. / Account ${name} disabled.\n`);
    }),
  );
  accountCommand(account, 'enable <name>', 'gesperrtes Konto wieder freigeben').action((name: string, _options: AccountOptions, command: Command) =>
    runAction(false, async () => {
      const options = accountOptions(command);
      await accountStoreOf(options).setDisabled(name, false);
      process.stdout.write(`Konto ${name} freigegeben. / Account ${name} enabled.\n`);
    }),
  );
  accountCommand(account, 'reset <name>', 'neues Passwort setzen und Fehlversuchssperre aufheben')
    .option('--password-env <var>', 'Umgebungsvariable mit dem Passwort')
    .action((name: string, _options: AccountOptions, command: Command) =>
      runAction(false, async () => {
        const options = accountOptions(command);
        await accountStoreOf(options).reset(name, passwordFromEnv(options.passwordEnv ?? DEFAULT_ACCOUNT_PASSWORD_ENV));
        process.stdout.write(`Passwort von ${name} neu gesetzt. / Password of ${name} reset.\n`);
      }),
    );
  accountCommand(account, 'role <name> <role>', 'Rolle ändern (sachbearbeitung, leitung, it)').action((name: string, role: string, _options: AccountOptions, command: Command) =>
    runAction(false, async () => {
      const options = accountOptions(command);
      const checked = roleOf(role);
      await accountStoreOf(options).setRole(name, checked);
      process.stdout.write(`Rolle von ${name}: ${ROLE_WORDS[checked].de}. / Role of ${name}: ${ROLE_WORDS[checked].en}.\n`);
    }),
  );
  accountCommand(account, 'list', 'Konten auflisten')
    .option('--json', 'als JSON')
    .action((_options: AccountOptions, command: Command) =>
      runAction(accountOptions(command).json === true, async () => {
        const options = accountOptions(command);
        const list = accountStoreOf(options).list();
        if (options.json === true) return printJson(list);
        for (const a of list) {
          const state = a.disabled ? 'gesperrt' : a.lockedUntil !== null && a.lockedUntil > Date.now() ? 'vorübergehend gesperrt' : 'aktiv';
          process.stdout.write(`${a.name}\t${ROLE_WORDS[a.role].de}\t${state}\n`);
        }
      }),
    );
}
