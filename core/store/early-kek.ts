/**
 * The store password's key derivation, started before the service is ready to open the store (issue 14, cold
 * start of `postfach fetch`): scrypt at N=2^17 costs about 0.4 s and runs on the libuv pool, so it can run on the
 * other core while the service thread is still loading its modules. The parameters are not touched: this is the
 * very same derivation, only earlier, and it is done once — `unwrapWithPassword` takes the result instead of
 * deriving again, but only for exactly the same password, salt and parameters; anything else (another password,
 * a key file changed in between, no early derivation) derives as always. The key file is read here without its
 * schema (no zod on this path): a wrong guess costs only the early work, because the open reads and checks the file
 * as always and the result decides nothing by itself (a wrong password still fails the wrapper's GCM tag).
 */
import { scrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { storePaths } from './paths.js';
import { scryptCostProblem, scryptOptions, type ScryptParams } from './scrypt-cost.js';

interface EarlyKek {
  readonly password: string;
  readonly salt: Buffer;
  readonly params: ScryptParams;
  readonly kek: Promise<Buffer>;
}

let early: EarlyKek | undefined;

function passwordKdf(keyFile: string): { salt: Buffer; params: ScryptParams } | undefined {
  const file: unknown = JSON.parse(readFileSync(keyFile, 'utf8'));
  const wrappers = (file as { wrappers?: unknown }).wrappers;
  if (!Array.isArray(wrappers)) return undefined;
  const kdf = (wrappers.find((w: { type?: unknown }) => w?.type === 'password') as { kdf?: Record<string, unknown> } | undefined)?.kdf;
  if (kdf?.name !== 'scrypt' || typeof kdf.salt !== 'string') return undefined;
  const { N, r, p } = kdf;
  // the same bound as the open's: a key file that asks for more work gets none here (the open reports it)
  if (scryptCostProblem({ N, r, p }) !== undefined) return undefined;
  return { salt: Buffer.from(kdf.salt, 'base64'), params: { N: N as number, r: r as number, p: p as number } };
}

/** Starts deriving the key of the store at `databasePath` for `password`; does nothing where there is no such store. */
export function deriveStoreKekEarly(databasePath: string, password: string): void {
  let kdf: ReturnType<typeof passwordKdf>;
  try {
    kdf = passwordKdf(storePaths(databasePath).keyFile);
  } catch {
    return; // no key file (a first fetch), unreadable or not JSON: the open says why
  }
  if (kdf === undefined) return;
  const { salt, params } = kdf;
  const kek = new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFC'), salt, 32, scryptOptions(params), (error, key) => (error ? reject(error) : resolve(key))));
  // a failure is the derivation's business when it is taken; unhandled until then it must not end the thread
  kek.catch(() => undefined);
  early = { password, salt, params, kek };
}

/**
 * The early derivation when it was made from exactly these inputs, handed out once; otherwise undefined (and a
 * waiting one is dropped: the store is opened only once per start).
 */
export function takeEarlyKek(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> | undefined {
  const waiting = early;
  early = undefined;
  if (waiting === undefined) return undefined;
  const same = waiting.password === password && waiting.salt.equals(salt) && waiting.params.N === params.N && waiting.params.r === params.r && waiting.params.p === params.p;
  return same ? waiting.kek : undefined;
}
