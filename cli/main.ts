#!/usr/bin/env node
/**
 * The `postfach` command. Each sub-command lives in cli/commands/<name>.ts and exports `register(program)`;
 * the command-line contract is in ../shared/DESIGN.md and README.md. Only the sub-command that runs is loaded.
 */
import path from 'node:path';
import type { Command as CommandType } from 'commander';
import { ExitCode } from './exit-codes.js';

type CommandModule = { register(program: CommandType): void };

/**
 * Every sub-command by the name(s) it answers to, in help order. A sub-command's module is loaded only when it
 * runs: loading all of them (PDF libraries, the generator, zod schemas, …) cost about a second before
 * `postfach inspect` could read its first byte (issue 14).
 */
const COMMANDS: ReadonlyArray<readonly [readonly string[], () => Promise<CommandModule>]> = [
  [['pki'], () => import('./commands/pki.js')],
  [['inspect'], () => import('./commands/inspect.js')],
  [['ui'], () => import('./commands/ui.js')],
  [['intermediary'], () => import('./commands/intermediary.js')],
  [['send'], () => import('./commands/send.js')],
  [['fetch', 'list', 'show', 'export'], () => import('./commands/mailbox.js')],
  [['demo'], () => import('./commands/demo.js')],
  [['team-demo'], () => import('./commands/team-demo.js')],
  [['backup'], () => import('./commands/backup.js')],
  [['abnahme'], () => import('./commands/abnahme.js')],
  [['config'], () => import('./commands/config.js')],
  [['rotate'], () => import('./commands/rotate.js')],
  [['trust'], () => import('./commands/trust.js')],
  [['codelists'], () => import('./commands/codelists.js')],
  [['serve'], () => import('./commands/serve.js')],
  [['handover'], () => import('./commands/handover.js')],
];

/**
 * The store and its password as the mailbox commands will take them (`--store`, `--store-password-env`, default
 * POSTFACH_STORE_PASSWORD), read ahead of commander: the service thread derives the password's key while it loads
 * (core/store/early-kek.ts). A wrong reading costs only that early work; the command reads its options as always.
 */
function earlyUnlock(args: readonly string[]): { databasePath: string; password: string } | undefined {
  const option = (name: string): string | undefined => {
    const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return args[i] === name ? args[i + 1] : args[i]!.slice(name.length + 1);
  };
  const store = option('--store');
  const password = process.env[option('--store-password-env') ?? 'POSTFACH_STORE_PASSWORD'];
  return store === undefined || password === undefined || password === '' ? undefined : { databasePath: path.resolve(store), password };
}

/** Sub-commands that always start the service (cli/mailbox-service.ts) with the worker's default options. */
const EARLY_SERVICE: ReadonlySet<string> = new Set(['fetch', 'list', 'show']);

// the sub-command named first on the command line; anything else (no command, an option first, `help`, a typo)
// registers them all, so that help and errors read as before
const first = process.argv[2];
const named = first === undefined || first.startsWith('-') ? undefined : COMMANDS.find(([names]) => names.includes(first));
// these commands run the service in a worker thread with its default options: the thread starts now and loads the
// service's modules on the other core while this thread loads the command and the contract (issue 14, cold start)
// — and `ui --browser` (its service is a worker thread with the default options too): the mailbox's first answers wait
// for the service's modules, not for the bridge's (issue 14, app start)
if (first !== undefined && (EARLY_SERVICE.has(first) || (first === 'ui' && process.argv.includes('--browser'))))
  (await import('../core/api/service-worker-thread.js')).startServiceWorkerEarly(EARLY_SERVICE.has(first) ? earlyUnlock(process.argv.slice(3)) : undefined);
// commander after the service thread's start: the thread begins loading while this one loads commander
const { Command, CommanderError } = await import('commander');
const program = new Command();
program.name('postfach').description('OSCI-Postfach: OSCI-Zustellungen abrufen, prüfen, speichern und exportieren').showHelpAfterError().exitOverride();
for (const [, load] of named ? [named] : COMMANDS) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // help and version exit with code 0; everything else commander reports is a usage error
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    throw error;
  }
}
