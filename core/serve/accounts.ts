/**
 * The personal accounts of `postfach serve`: one file (JSON, mode 0600, replaced atomically) beside the store,
 * written by `postfach serve account …` and by the running service (failed attempts, lockout). Each person signs
 * in with a name and a password; the password is kept only as an scrypt hash (node:crypto) with its salt and
 * parameters. Parameters read from the file are bounded before any derivation starts (a file with a huge N must
 * not tie up the service), and at most two derivations run at a time, so sign-in attempts cannot exhaust memory.
 *
 * Lockout: after MAX_FAILURES failed attempts in a row the account is locked for LOCKOUT_MS; a correct password
 * during the lock does not help (and is not told apart from a wrong one). `reset` sets a new password and unlocks.
 *
 * Every change of an account (created, disabled, enabled, new password, role, locked after failed attempts) is kept
 * in the file's `changes` until the running service has written it into the store's audit log (run.ts): the
 * commands `postfach serve account …` cannot open the store while the service holds it. Each change names who made
 * it (the OS user of the command, or the service itself for a lockout) and carries an id, so the service removes
 * exactly what it recorded; a service stopped between recording and removing records that change once more.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { syncFolderSync } from '../io/durable-file.js';
import { scryptCostProblem, scryptOptions, type ScryptParams } from '../store/scrypt-cost.js';
import { currentOsUser } from '../store/os-user.js';
import { isRole, ROLES, type Role } from './roles.js';
import { serveError } from './errors.js';

/** Failed attempts in a row before the lock. */
export const MAX_FAILURES = 5;
/** How long a locked account stays locked (15 minutes). */
export const LOCKOUT_MS = 15 * 60_000;
/** About 0.1 s and 32 MiB per sign-in: enough against guessing with the lockout, small enough for many people. */
export const ACCOUNT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
/** The bound for parameters read from the file: twice the memory and work of ACCOUNT_SCRYPT at most. */
const MAX_ACCOUNT_SCRYPT_MEMORY = 2 * 128 * ACCOUNT_SCRYPT.r * (ACCOUNT_SCRYPT.N + ACCOUNT_SCRYPT.p);
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1024;

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The audit log's name for the service itself (fetch at start, lockouts). */
export const SERVICE_ACTOR = 'serve:Dienst';

export const ACCOUNT_EVENTS = ['created', 'disabled', 'enabled', 'password-set', 'role-changed', 'locked'] as const;
export type AccountEvent = (typeof ACCOUNT_EVENTS)[number];
/** Sign-ins, kept for the audit log the same way as the changes (the password typed never). */
export const SIGN_IN_EVENTS = ['signed-in', 'sign-in-failed'] as const;
export const SIGN_IN_REFUSALS = ['wrong-password', 'unknown-account', 'locked', 'disabled'] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];
/**
 * Sign-ins waiting for the audit log beyond this many pending entries are not noted (changes of accounts still are):
 * a flood of failed attempts while the store is closed must not grow the account file without bound.
 */
export const MAX_PENDING_SIGN_INS = 10_000;

const changeSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{32}$/),
    at: z.string().max(40),
    event: z.enum([...ACCOUNT_EVENTS, ...SIGN_IN_EVENTS]),
    /** Absent only for a failed sign-in under a name no account has (what was typed may be a password). */
    account: z.string().regex(ACCOUNT_NAME).optional(),
    role: z.enum(ROLES).optional(),
    reason: z.enum(SIGN_IN_REFUSALS).optional(),
    by: z.string().min(1).max(200),
  })
  .strict();
/** A change of an account, waiting to be written into the audit log. */
export type AccountChange = z.infer<typeof changeSchema>;

const hashSchema = z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string().max(64), key: z.string().max(128) }).strict();
const accountSchema = z
  .object({
    name: z.string().regex(ACCOUNT_NAME),
    role: z.enum(ROLES),
    hash: hashSchema,
    disabled: z.boolean(),
    failures: z.number().int().nonnegative(),
    lockedUntil: z.number().int().nullable(),
    createdAt: z.string().max(40),
    passwordSetAt: z.string().max(40),
  })
  .strict();
const fileSchema = z.object({ version: z.literal(1), accounts: z.array(accountSchema).max(10_000), changes: z.array(changeSchema).max(100_000).optional() }).strict();

export type Account = z.infer<typeof accountSchema>;
type AccountsFile = z.infer<typeof fileSchema>;

/** What a listing shows: never the hash. */
export interface AccountInfo {
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly lockedUntil: number | null;
  readonly failures: number;
  readonly createdAt: string;
  readonly passwordSetAt: string;
}

export type SignInResult = { readonly ok: true; readonly name: string; readonly role: Role } | { readonly ok: false; readonly reason: 'unknown-or-wrong' | 'locked' | 'disabled' };

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = scryptOptions(params);
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** At most two derivations at a time; the others wait their turn. */
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function boundProblem(hash: z.infer<typeof hashSchema>): string | undefined {
  const general = scryptCostProblem(hash);
  if (general !== undefined) return general;
  if (128 * hash.r * (hash.N + hash.p) > MAX_ACCOUNT_SCRYPT_MEMORY || hash.N * hash.r * hash.p > 2 * ACCOUNT_SCRYPT.N * ACCOUNT_SCRYPT.r * ACCOUNT_SCRYPT.p) {
    return `account scrypt N=${hash.N}, r=${hash.r}, p=${hash.p} beyond the sign-in bound`;
  }
  return undefined;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw serveError(
      'serve-account',
      { de: `Das Passwort muss mindestens ${MIN_PASSWORD_LENGTH} Zeichen lang sein.`, en: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.` },
      `password length ${password.length}, allowed ${MIN_PASSWORD_LENGTH}..${MAX_PASSWORD_LENGTH}`,
    );
  }
}

async function hashPassword(password: string): Promise<Account['hash']> {
  checkPassword(password);
  const salt = randomBytes(16);
  const key = await limited(() => derive(password, salt, ACCOUNT_SCRYPT));
  return { ...ACCOUNT_SCRYPT, salt: salt.toString('base64'), key: key.toString('base64') };
}

/** How long a change waits for another program's change of the account file; a lock older than STALE is left over. */
const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** `<file>.lock`, made exclusively (O_EXCL) for one read-change-write; a lock a killed program left is removed. */
async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw serveError(
          'serve-account',
          { de: 'Die Kontendatei des Dienstes konnte nicht geschrieben werden.', en: 'The service’s account file could not be written.' },
          `accounts lock file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        );
      }
      let age: number;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) rmSync(lock, { force: true });
      else if (Date.now() > deadline) {
        throw serveError(
          'serve-account',
          {
            de: 'Die Kontendatei des Dienstes wird gerade von einem anderen Programm geändert. Bitte erneut versuchen.',
            en: 'Another program is changing the service’s account file. Please try again.',
          },
          'accounts file lock held longer than 10 s',
        );
      } else await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

export class AccountStore {
  /** One change at a time within this process (the service's sign-ins; the CLI is one process per change). */
  private queue: Promise<unknown> = Promise.resolve();

  /** `by`: who changes accounts through this object (the command's OS user); lockouts are the service's. */
  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
    private readonly by: string = currentOsUser(),
  ) {}

  /** Notes a change for the audit log (in the same write as the change). */
  private note(content: AccountsFile, event: AccountEvent, account: Account, by = this.by): void {
    const change: AccountChange = {
      id: randomBytes(16).toString('hex'),
      at: new Date(this.now()).toISOString(),
      event,
      account: account.name,
      ...(event === 'created' || event === 'role-changed' ? { role: account.role } : {}),
      by: by.slice(0, 200) || 'unbekannt',
    };
    content.changes = [...(content.changes ?? []), change];
  }

  /** Notes a sign-in for the audit log: the person's own when it succeeded, the service's when it was refused. */
  private noteSignIn(content: AccountsFile, account: Account | undefined, refused?: SignInRefusal): void {
    if ((content.changes?.length ?? 0) >= MAX_PENDING_SIGN_INS) return;
    const change: AccountChange = {
      id: randomBytes(16).toString('hex'),
      at: new Date(this.now()).toISOString(),
      event: refused === undefined ? 'signed-in' : 'sign-in-failed',
      ...(account === undefined ? {} : { account: account.name }),
      ...(refused === undefined ? {} : { reason: refused }),
      by: refused === undefined && account !== undefined ? `serve:${account.name}` : SERVICE_ACTOR,
    };
    content.changes = [...(content.changes ?? []), change];
  }

  /** The changes not yet in the audit log, oldest first. */
  pendingChanges(): AccountChange[] {
    return [...(this.read().changes ?? [])];
  }

  /** Forgets the changes the service has written into the audit log. */
  dropChanges(ids: readonly string[]): Promise<void> {
    const recorded = new Set(ids);
    return this.change((content) => {
      const left = (content.changes ?? []).filter((c) => !recorded.has(c.id));
      if (left.length > 0) content.changes = left;
      else delete content.changes;
    });
  }

  private read(): AccountsFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
      throw serveError(
        'serve-account',
        { de: 'Die Kontendatei des Dienstes ist nicht lesbar.', en: 'The service’s account file cannot be read.' },
        `accounts file: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`,
      );
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw serveError(
        'serve-account',
        { de: 'Die Kontendatei des Dienstes ist beschädigt.', en: 'The service’s account file is damaged.' },
        'accounts file does not match its schema',
      );
    }
    return parsed.data;
  }

  /** Atomic replace: temporary file (0600), fsync, rename, folder fsync. */
  private write(content: AccountsFile): void {
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temporary, 0o600);
      renameSync(temporary, this.file);
      syncFolderSync(path.dirname(this.file));
    } catch (error) {
      rmSync(temporary, { force: true });
      throw serveError(
        'serve-account',
        { de: 'Die Kontendatei des Dienstes konnte nicht geschrieben werden.', en: 'The service’s account file could not be written.' },
        `accounts file: ${(error as NodeJS.ErrnoException).code ?? 'write error'}`,
      );
    }
  }

  private change<T>(work: (content: AccountsFile) => Promise<T> | T): Promise<T> {
    const next = this.queue.then(() =>
      // across processes too: the service (sign-ins, recorded changes dropped) and IT's commands change the same file;
      // without the lock one's read-change-write could bring back what the other just removed (recorded twice)
      withFileLock(this.file, async () => {
        const content = this.read();
        const result = await work(content);
        this.write(content);
        return result;
      }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private find(content: AccountsFile, name: string): Account {
    const account = content.accounts.find((a) => a.name === name);
    if (account === undefined) throw serveError('serve-account', { de: 'Dieses Konto gibt es nicht.', en: 'There is no such account.' }, 'no account of that name');
    return account;
  }

  list(): AccountInfo[] {
    return this.read().accounts.map(({ hash: _hash, ...info }) => info);
  }

  add(name: string, role: Role, password: string): Promise<void> {
    if (!ACCOUNT_NAME.test(name)) {
      throw serveError(
        'serve-account',
        {
          de: 'Ungültiger Kontoname: 2–64 Zeichen, Kleinbuchstaben, Ziffern, Punkt, Bindestrich, Unterstrich.',
          en: 'Invalid account name: 2–64 characters, lower-case letters, digits, dot, hyphen, underscore.',
        },
        'account name does not match the allowed pattern',
      );
    }
    if (!isRole(role)) throw serveError('serve-account', { de: 'Unbekannte Rolle.', en: 'Unknown role.' }, 'role not one of sachbearbeitung, leitung, it');
    return this.change(async (content) => {
      if (content.accounts.some((a) => a.name === name))
        throw serveError('serve-account', { de: 'Dieses Konto gibt es schon.', en: 'This account already exists.' }, 'account name taken');
      const at = new Date(this.now()).toISOString();
      const account: Account = { name, role, hash: await hashPassword(password), disabled: false, failures: 0, lockedUntil: null, createdAt: at, passwordSetAt: at };
      content.accounts.push(account);
      this.note(content, 'created', account);
    });
  }

  setDisabled(name: string, disabled: boolean): Promise<void> {
    return this.change((content) => {
      const account = this.find(content, name);
      if (account.disabled === disabled) return;
      account.disabled = disabled;
      this.note(content, disabled ? 'disabled' : 'enabled', account);
    });
  }

  setRole(name: string, role: Role): Promise<void> {
    return this.change((content) => {
      const account = this.find(content, name);
      if (account.role === role) return;
      account.role = role;
      this.note(content, 'role-changed', account);
    });
  }

  /** A new password; unlocks the account and forgets the failed attempts. */
  reset(name: string, password: string): Promise<void> {
    return this.change(async (content) => {
      const account = this.find(content, name);
      account.hash = await hashPassword(password);
      account.failures = 0;
      account.lockedUntil = null;
      account.passwordSetAt = new Date(this.now()).toISOString();
      this.note(content, 'password-set', account);
    });
  }

  /**
   * Checks a sign-in. An unknown name costs the same derivation as a known one (no telling which names exist by
   * time); a locked or disabled account is refused whatever the password.
   */
  signIn(name: string, password: string): Promise<SignInResult> {
    return this.change(async (content): Promise<SignInResult> => {
      const account = content.accounts.find((a) => a.name === name);
      const now = this.now();
      const refuse = (refusal: SignInRefusal, reason: 'unknown-or-wrong' | 'locked' | 'disabled'): SignInResult => {
        this.noteSignIn(content, account, refusal);
        return { ok: false, reason };
      };
      if (password.length > MAX_PASSWORD_LENGTH) return refuse(account === undefined ? 'unknown-account' : 'wrong-password', 'unknown-or-wrong');
      if (account === undefined) {
        await limited(() => derive(password, randomBytes(16), ACCOUNT_SCRYPT));
        return refuse('unknown-account', 'unknown-or-wrong');
      }
      if (account.disabled) return refuse('disabled', 'disabled');
      if (account.lockedUntil !== null && account.lockedUntil > now) return refuse('locked', 'locked');
      const problem = boundProblem(account.hash);
      if (problem !== undefined) throw serveError('serve-account', { de: 'Die Kontendatei des Dienstes ist beschädigt.', en: 'The service’s account file is damaged.' }, problem);
      const expected = Buffer.from(account.hash.key, 'base64');
      const given = await limited(() => derive(password, Buffer.from(account.hash.salt, 'base64'), account.hash));
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        account.failures = 0;
        account.lockedUntil = null;
        this.noteSignIn(content, account);
        return { ok: true, name: account.name, role: account.role };
      }
      account.failures += 1;
      this.noteSignIn(content, account, 'wrong-password');
      if (account.failures >= MAX_FAILURES) {
        account.lockedUntil = now + LOCKOUT_MS;
        account.failures = 0;
        this.note(content, 'locked', account, SERVICE_ACTOR);
        return { ok: false, reason: 'locked' };
      }
      return { ok: false, reason: 'unknown-or-wrong' };
    });
  }

  /** The role and state of an account now (a session's rights follow a change at once). */
  current(name: string): AccountInfo | undefined {
    return this.list().find((a) => a.name === name);
  }
}
