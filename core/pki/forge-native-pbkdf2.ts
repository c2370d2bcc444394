/**
 * Runs node-forge PKCS#12/PKCS#8 code with PBKDF2 done by `node:crypto` instead of forge's own.
 *
 * Why: forge's PBES2 code passes a message-digest object to PBKDF2, which forge's own Node fast path does not
 * take, so the PBKDF2 of OpenSSL 3 and Java keytool files runs in pure JavaScript (measured with bench/pki.ts: a
 * two-key keytool keystore, 10000 iterations, ~370 ms in forge alone, ~45 ms here). And forge turns the password
 * into bytes as Latin-1, while OpenSSL and Java derive PBES2 keys from its UTF-8 bytes: a password with an umlaut
 * ("Grüße…") opens an OpenSSL 3 file's MAC (PKCS#12 KDF, BMPString) but not its key bag. Here the password is
 * encoded as UTF-8.
 *
 * forge looks `forge.pkcs5.pbkdf2` up at call time; the replacement is installed only for the duration of one
 * synchronous call, so no other code ever runs with it.
 *
 * Not replaced: the PKCS#12 KDF (RFC 7292 appendix B) of legacy files. A version built on `crypto.hash` (kept in
 * bench/pki.ts for the comparison) saved 20–35 % (e.g. ~860 ms against ~1150–1300 ms per legacy vector file on
 * a busy 2-core machine): its 350000 single-block hash calls are dominated by the per-call cost of crossing into
 * C++. A legacy key still costs most of a second either way, is loaded once per session in a worker, and the
 * saving did not justify a second implementation of the derivation patched into two forge entry points.
 */
import { pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';

type Pbkdf2 = (password: string, salt: string, iterations: number, keyLength: number, md?: unknown) => string;

const NODE_DIGESTS: Readonly<Record<string, string>> = {
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha512/224': 'sha512-224',
  'sha512/256': 'sha512-256',
};

function digestName(md: unknown): string | undefined {
  if (md === undefined || md === null) return 'sha1';
  if (typeof md === 'string') return NODE_DIGESTS[md];
  if (typeof md === 'object' && 'algorithm' in md && typeof md.algorithm === 'string') return NODE_DIGESTS[md.algorithm];
  return undefined;
}

export function withNativePbkdf2<T>(run: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it is needed: without it tsc refuses `pkcs5.pbkdf2 = native` (forge declares pbkdf2 as overloads)
  const pkcs5 = forge.pkcs5 as { pbkdf2: Pbkdf2 };
  const original = pkcs5.pbkdf2;
  const native: Pbkdf2 = (password, salt, iterations, keyLength, md) => {
    const digest = digestName(md);
    if (digest === undefined || typeof md === 'function') return original(password, salt, iterations, keyLength, md);
    return pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'binary'), iterations, keyLength, digest).toString('binary');
  };
  pkcs5.pbkdf2 = native;
  try {
    return run();
  } finally {
    pkcs5.pbkdf2 = original;
  }
}
