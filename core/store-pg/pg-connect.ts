/**
 * How the service connects to PostgreSQL: the settings IT writes (serve.json `postgresql`) as node-postgres pool
 * settings. TLS is checked by default (verify-full, the server's certificate against the system's CAs or the CA
 * file given); an unencrypted connection is accepted only to a loopback address, where nothing crosses a network.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { PostfachError } from '../errors.js';

export interface PgConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string | undefined;
  readonly tls: 'verify-full' | 'require' | 'disable';
  readonly tlsCaFile?: string | undefined;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/i;

function settingsError(detail: string): PostfachError {
  return new PostfachError(
    'serve-config',
    {
      de: 'Die Verbindung zur PostgreSQL-Datenbank ist falsch eingestellt.',
      en: 'The connection to the PostgreSQL database is set up wrongly.',
    },
    detail,
  );
}

export function pgPoolConfig(settings: PgConnectionSettings): pg.PoolConfig {
  if (settings.tls === 'disable' && !LOOPBACK.test(settings.host)) {
    throw settingsError(`postgresql.tls "disable" is allowed only for a loopback address, not ${settings.host.slice(0, 100)}`);
  }
  let ssl: pg.PoolConfig['ssl'] = false;
  if (settings.tls === 'require') ssl = { rejectUnauthorized: false };
  if (settings.tls === 'verify-full') {
    let ca: string | undefined;
    if (settings.tlsCaFile !== undefined) {
      try {
        ca = readFileSync(settings.tlsCaFile, 'utf8');
      } catch (error) {
        throw settingsError(`postgresql.tlsCaFile: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
    }
    ssl = { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) };
  }
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ...(settings.password === undefined ? {} : { password: settings.password }),
    ssl,
    // IT sees in pg_stat_activity who holds a connection (and the fetch lock)
    application_name: 'osci-postfach',
  };
}
