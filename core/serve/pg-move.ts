/**
 * `postfach serve restore`: a backup of the team's shared store (made by `backup.create` of a service on
 * PostgreSQL, core/backup/pg-backup.ts) restored into the EMPTY database and the key file named in serve.json —
 * the second half of a move to another database server. The service is not running for it: it starts afterwards
 * on the restored store with the same store password.
 */
import { PostfachError } from '../errors.js';
import { restorePgBackup } from '../backup/pg-backup.js';
import type { VerifiedBackup } from '../backup/backup.js';
import { pgPoolConfig } from '../store-pg/index.js';
import { resolvePgSettings, type ServeConfig } from './serve-config.js';

export async function restoreSharedStore(
  config: ServeConfig,
  file: string,
  password: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<VerifiedBackup & { keyFile: string; database: string }> {
  const settings = resolvePgSettings(config, env);
  if (settings === undefined) {
    throw new PostfachError(
      'serve-config',
      {
        de: 'Die Einstellungen des Abrufdienstes nennen keine PostgreSQL-Datenbank (Abschnitt „postgresql“). Eine Einzelplatz-Sicherung wird mit „postfach backup restore“ zurückgespielt.',
        en: 'The service settings name no PostgreSQL database (section "postgresql"). A single-PC backup is restored with "postfach backup restore".',
      },
      'serve restore without a postgresql section',
    );
  }
  const restored = await restorePgBackup({ file, password, connection: pgPoolConfig(settings), keyFile: settings.keyFile });
  return { ...restored, keyFile: settings.keyFile, database: settings.database };
}
