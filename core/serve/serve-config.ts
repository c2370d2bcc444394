/**
 * The settings of `postfach serve`: a JSON file IT writes (`--config FILE`, e.g. /etc/osci-postfach/serve.json or
 * C:\ProgramData\OSCI-Postfach\serve.json), each value overridable on the command line. Paths in the file are
 * taken relative to the file's folder. Secrets never stand in the file: the store password comes from a file of
 * its own (mode 0600 on Linux; on Windows a file under an ACL that only the service account can read) or from an
 * environment variable.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PgSettings } from '../api/service-protocol.js';
import { serveError } from './errors.js';

export const serveConfigSchema = z
  .object({
    /** The store's database file (the mailbox). */
    store: z.string().min(1).max(4096),
    /** Address and port to listen on, e.g. `0.0.0.0:8443` or `127.0.0.1:8443`. */
    listen: z.string().max(300).default('127.0.0.1:8443'),
    tlsCert: z.string().min(1).max(4096).optional(),
    tlsKey: z.string().min(1).max(4096).optional(),
    /** Plain HTTP on a loopback address, for trying it out on one machine; refused on any other address. */
    plainHttpOnLoopback: z.boolean().default(false),
    /** Minutes between scheduled fetches (1 to 1440); 0: only on demand. */
    fetchIntervalMinutes: z.number().int().min(0).max(1440).default(15),
    storePasswordFile: z.string().min(1).max(4096).optional(),
    storePasswordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
      .default('POSTFACH_STORE_PASSWORD'),
    /** The account file (default: beside the store, `<store>.accounts.json`). */
    accountsFile: z.string().min(1).max(4096).optional(),
    sessionIdleMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    sessionMaxHours: z.number().int().min(1).max(24).default(10),
    /**
     * The shared store on PostgreSQL (issue 13) instead of the SQLite store: where the database is and the mailbox
     * key file (default `<store>.pg-keys.json`); `store` then names the single-PC store taken over at the first
     * start and the place of the service's local files (accounts, transfer folder, lock). The database password
     * comes from `passwordFile` (chmod 600) or the environment variable `passwordEnv` (default PGPASSWORD).
     */
    postgresql: z
      .object({
        host: z.string().min(1).max(255),
        port: z.number().int().min(1).max(65535).default(5432),
        database: z.string().min(1).max(63),
        user: z.string().min(1).max(63),
        passwordFile: z.string().min(1).max(4096).optional(),
        passwordEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
          .default('PGPASSWORD'),
        tls: z.enum(['verify-full', 'require', 'disable']).default('verify-full'),
        tlsCaFile: z.string().min(1).max(4096).optional(),
        keyFile: z.string().min(1).max(4096).optional(),
      })
      .strict()
      .optional(),
    /** Seconds a second service waits for the first to end before it refuses. */
    waitSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .default(0),
  })
  .strict();
export type ServeConfig = z.infer<typeof serveConfigSchema>;

const invalid = (detail: string) =>
  serveError('serve-config', { de: 'Die Einstellungen des Abrufdienstes sind ungültig.', en: 'The fetch service’s settings are invalid.' }, detail);

/** Reads the config file (if any), lays the command line's values over it, resolves paths, validates. */
export function resolveServeConfig(file: string | undefined, overrides: Readonly<Record<string, unknown>>): ServeConfig {
  let fromFile: Record<string, unknown> = {};
  const base = file === undefined ? process.cwd() : path.dirname(path.resolve(file));
  if (file !== undefined) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw invalid(`config file ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? (error instanceof SyntaxError ? 'not JSON' : 'unreadable')}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) throw invalid('config file is not a JSON object');
    for (const key of ['store', 'tlsCert', 'tlsKey', 'storePasswordFile', 'accountsFile'] as const) {
      const value = fromFile[key];
      if (typeof value === 'string') fromFile[key] = path.resolve(base, value);
    }
    const pgSection = fromFile.postgresql;
    if (typeof pgSection === 'object' && pgSection !== null && !Array.isArray(pgSection)) {
      const section = { ...(pgSection as Record<string, unknown>) };
      for (const key of ['passwordFile', 'tlsCaFile', 'keyFile'] as const) {
        const value = section[key];
        if (typeof value === 'string') section[key] = path.resolve(base, value);
      }
      fromFile.postgresql = section;
    }
  }
  const merged = { ...fromFile, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  const parsed = serveConfigSchema.safeParse(merged);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const config = parsed.data;
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) throw invalid('tlsCert and tlsKey go together');
  return { ...config, store: path.resolve(config.store) };
}

/** `host:port` (IPv6 in brackets) → parts. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65535) throw invalid(`listen "${listen}" is not host:port`);
  return { host: match[1] ?? match[2] ?? '', port };
}

/**
 * The store password from its file (first line; the file must be readable by its owner only where the system has
 * modes) or else from the environment variable.
 */
export function readStorePassword(config: ServeConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (config.storePasswordFile !== undefined) {
    let text: string;
    try {
      if (process.platform !== 'win32' && (statSync(config.storePasswordFile).mode & 0o077) !== 0) {
        throw serveError(
          'serve-config',
          {
            de: 'Die Passwortdatei des Datenspeichers darf nur für den Dienst lesbar sein (chmod 600).',
            en: 'The data store’s password file must be readable by the service only (chmod 600).',
          },
          'store password file is readable by group or others',
        );
      }
      text = readFileSync(config.storePasswordFile, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'kind' in error) throw error;
      throw invalid(`store password file: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw invalid('store password file is empty');
    return password;
  }
  const value = env[config.storePasswordEnv];
  if (value === undefined || value === '') {
    throw serveError(
      'serve-config',
      {
        de: `Kein Passwort für den Datenspeicher: weder Passwortdatei (storePasswordFile) noch Umgebungsvariable ${config.storePasswordEnv}.`,
        en: `No password for the data store: neither a password file (storePasswordFile) nor the environment variable ${config.storePasswordEnv}.`,
      },
      `no storePasswordFile and ${config.storePasswordEnv} unset`,
    );
  }
  return value;
}

export const defaultAccountsFile = (storePath: string): string => `${storePath}.accounts.json`;

/** The mailbox key file of the PostgreSQL store when the settings name none. */
export const defaultPgKeyFile = (storePath: string): string => `${storePath}.pg-keys.json`;

/** A secret from its file (first line; owner-only where the system has modes) or else from an environment variable. */
function readSecret(file: string | undefined, envName: string, env: NodeJS.ProcessEnv, what: string): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) throw invalid(`${what} file is readable by group or others (chmod 600)`);
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'kind' in error) throw error;
      throw invalid(`${what} file: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    const value = text.split(/\r?\n/)[0] ?? '';
    if (value === '') throw invalid(`${what} file is empty`);
    return value;
  }
  const value = env[envName];
  return value === undefined || value === '' ? undefined : value;
}

/** The service's PostgreSQL settings with the database password read (undefined: the service works on SQLite). */
export function resolvePgSettings(config: ServeConfig, env: NodeJS.ProcessEnv = process.env): PgSettings | undefined {
  const section = config.postgresql;
  if (section === undefined) return undefined;
  const password = readSecret(section.passwordFile, section.passwordEnv, env, 'postgresql password');
  return {
    host: section.host,
    port: section.port,
    database: section.database,
    user: section.user,
    ...(password === undefined ? {} : { password }),
    tls: section.tls,
    ...(section.tlsCaFile === undefined ? {} : { tlsCaFile: section.tlsCaFile }),
    keyFile: section.keyFile ?? defaultPgKeyFile(config.store),
  };
}
