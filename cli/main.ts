#!/usr/bin/env node
/**
 * The `postfach` command. Each sub-command lives in cli/commands/<name>.ts and exports `register(program)`;
 * the command-line contract is in ../shared/DESIGN.md and README.md.
 */
import { Command, CommanderError } from 'commander';
import { register as registerAbnahme } from './commands/abnahme.js';
import { register as registerBackup } from './commands/backup.js';
import { register as registerCodeLists } from './commands/codelists.js';
import { register as registerConfig } from './commands/config.js';
import { register as registerRotate } from './commands/rotate.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerInspect } from './commands/inspect.js';
import { register as registerIntermediary } from './commands/intermediary.js';
import { register as registerMailbox } from './commands/mailbox.js';
import { register as registerPki } from './commands/pki.js';
import { register as registerSend } from './commands/send.js';
import { register as registerTrust } from './commands/trust.js';
import { register as registerUi } from './commands/ui.js';
import { ExitCode } from './exit-codes.js';

const program = new Command();
program
  .name('postfach')
  .description('OSCI-Postfach: OSCI-Zustellungen abrufen, prüfen, speichern und exportieren')
  .showHelpAfterError()
  .exitOverride();

const registrations: Array<(program: Command) => void> = [
  registerPki,
  registerInspect,
  registerUi,
  registerIntermediary,
  registerSend,
  registerMailbox,
  registerDemo,
  registerBackup,
  registerAbnahme,
  registerConfig,
  registerRotate,
  registerTrust,
  registerCodeLists,
];
for (const register of registrations) register(program);

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
