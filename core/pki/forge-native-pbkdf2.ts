/**
 * Runs node-forge PKCS#12/PKCS#8 code with PBKDF2 done by `node:crypto` instead of forge's own, and with every key
 * derivation bounded (below).
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
 * Bounded work: the iteration counts come from the file (MacData, PBES2 and PKCS#12 PBE parameters of every bag),
 * so whoever wrote it chooses how long loading takes — 10^9 iterations would keep the worker busy for hours before
 * "wrong password". During the call every key derivation forge starts (PBKDF2, the PKCS#12 KDF of legacy files and
 * of the MAC) is checked first: at most MAX_KDF_ITERATIONS per derivation and KDF_ITERATION_BUDGET for the whole
 * file, far above what OpenSSL (2048), Java keytool (10000), Windows (2000) or the legacy reference keys (100000 +
 * 4 × 50000) use; beyond that `pkcs12-too-costly` before the derivation runs (at most about 3 s of work here).
 *
 * The PKCS#12 KDF (RFC 7292 appendix B) of legacy files and of the MAC is replaced too (pkcs12-kdf.ts): forge's
 * version hashed 350000 times in JavaScript on binary strings, 0.4–1.3 s per legacy vector file, most of a cold
 * start; the replacement derives the same bytes in a few tens of milliseconds (bench/pki.ts). Digests it does not
 * know (MD5 MACs) stay with forge's, bounded all the same.
 *
 * The bags' decryption goes to OpenSSL where its default provider has the cipher (native-pbe.ts): shrouded key
 * bags under PKCS#12 PBE 3DES or PBES2 (AES/3DES-CBC) through `createPrivateKey` with the password, SafeContents
 * under PKCS#12 PBE 3DES through `des-ede3-cbc`; their iterations are charged to the same budget first. RC2 bags
 * (the certificates of legacy files) stay with forge's RC2: Node's OpenSSL 3 does not load the legacy provider.
 * The MAC's HMAC runs on node:crypto too (nativeHmac below).
 */
import { createHmac, pbkdf2Sync, type Hmac } from 'node:crypto';
import type * as Forge from 'node-forge';
import forge from './forge.js';
import type { Asn1 } from './asn1-reader.js';
import { nativePkcs12PbeCipher, nativePrivateKeyInfo, type ForgeCipherLike } from './native-pbe.js';
import { bmpPassword, pkcs12Kdf, pkcs12KdfSupports } from './pkcs12-kdf.js';

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

/** Iterations one key derivation may ask for (OWASP's PBKDF2-SHA256 recommendation is 600000). */
export const MAX_KDF_ITERATIONS = 1_000_000;
/** Iterations all derivations of one call may ask for together (a file with many bags, a retry without MAC). */
export const KDF_ITERATION_BUDGET = 1_500_000;

/** The iterations left for one load (share one between the attempts of a load). */
export interface KdfBudget {
  remaining: number;
}
export const kdfBudget = (): KdfBudget => ({ remaining: KDF_ITERATION_BUDGET });

/** Thrown before a derivation the file asks for would exceed the bound; pkcs12.ts turns it into `pkcs12-too-costly`. */
export class KdfTooCostly extends Error {
  constructor(
    readonly iterations: number,
    readonly reason: 'per-derivation' | 'budget' | 'invalid',
  ) {
    super(`key derivation with ${iterations} iterations refused (${reason})`);
  }
}

function spend(budget: KdfBudget, iterations: unknown): void {
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations) || iterations < 1) throw new KdfTooCostly(Number(iterations), 'invalid');
  if (iterations > MAX_KDF_ITERATIONS) throw new KdfTooCostly(iterations, 'per-derivation');
  if (iterations > budget.remaining) throw new KdfTooCostly(iterations, 'budget');
  budget.remaining -= iterations;
}

type Pkcs12Kdf = (password: unknown, salt: unknown, id: number, iterations: number, n: number, md?: unknown) => unknown;
type DecryptPrivateKeyInfo = (encrypted: Asn1, password: unknown) => Asn1 | null;
type Pkcs12PbeCipher = (oid: string, params: Asn1, password: unknown) => ForgeCipherLike;

/** What forge's PKCS#12 code uses of an HMAC (forge.hmac.create()): the MAC over the whole AuthenticatedSafe. */
interface ForgeHmacLike {
  start(md: unknown, key: unknown): void;
  update(bytes: string): void;
  getMac(): Forge.util.ByteStringBuffer;
}

/**
 * An HMAC with forge's interface on node:crypto: the PKCS#12 MAC over the file's whole content (SHA-1 in legacy
 * files) ran in forge's JavaScript SHA-1, about 5 ms of a cold start. Digests node:crypto does not know here (MD5
 * MACs), and a key that is not forge's buffer, go to forge's HMAC as before.
 */
function nativeHmac(forgeHmac: () => ForgeHmacLike): ForgeHmacLike {
  let native: Hmac | undefined;
  let fallback: ForgeHmacLike | undefined;
  return {
    start(md, key) {
      const digest = digestName(md);
      if (digest !== undefined && md !== null && md !== undefined && key instanceof forge.util.ByteStringBuffer) {
        native = createHmac(digest, Buffer.from(key.bytes(), 'binary'));
      } else {
        fallback = forgeHmac();
        fallback.start(md, key);
      }
    },
    update(bytes) {
      if (fallback) fallback.update(bytes);
      else native?.update(Buffer.from(bytes, 'binary'));
    },
    getMac() {
      if (fallback) return fallback.getMac();
      if (!native) throw new Error('HMAC not started');
      return forge.util.createBuffer(native.digest().toString('binary'));
    },
  };
}

export function withNativePbkdf2<T>(run: () => T, budget: KdfBudget = kdfBudget()): T {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it is needed: without it tsc refuses `pkcs5.pbkdf2 = native` (forge declares pbkdf2 as overloads)
  const pkcs5 = forge.pkcs5 as { pbkdf2: Pbkdf2 };
  // the PKCS#12 KDF is reached as forge.pbe.generatePkcs12Key (bags) and forge.pkcs12.generateKey (MAC)
  const pbe = (forge as unknown as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe;
  const p12 = forge.pkcs12 as unknown as { generateKey: Pkcs12Kdf };
  // the bags' decryption: shrouded key bags (forge.pki.decryptPrivateKeyInfo) and PKCS#12 PBE SafeContents
  // (forge.pki.pbe.getCipherForPKCS12PBE) go to OpenSSL where it has the cipher (native-pbe.ts)
  const pki = forge.pki as unknown as { decryptPrivateKeyInfo: DecryptPrivateKeyInfo; pbe: { getCipherForPKCS12PBE: Pkcs12PbeCipher } };
  // the MAC's HMAC (forge.hmac.create, looked up at call time by forge's pkcs12.js)
  const hmac = forge.hmac as unknown as { create: () => ForgeHmacLike };
  const original = {
    hmac: hmac.create,
    pbkdf2: pkcs5.pbkdf2,
    pbeKdf: pbe.generatePkcs12Key,
    macKdf: p12.generateKey,
    decryptKey: pki.decryptPrivateKeyInfo,
    pbeCipher: pki.pbe.getCipherForPKCS12PBE,
  };
  const charge = (iterations: number): void => spend(budget, iterations);
  const native: Pbkdf2 = (password, salt, iterations, keyLength, md) => {
    spend(budget, iterations);
    const digest = digestName(md);
    if (digest === undefined || typeof md === 'function') return original.pbkdf2(password, salt, iterations, keyLength, md);
    return pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'binary'), iterations, keyLength, digest).toString('binary');
  };
  // the PKCS#12 KDF of legacy bags and of the MAC: bounded, and on node:crypto's hashes (pkcs12-kdf.ts)
  const bounded =
    (kdf: Pkcs12Kdf): Pkcs12Kdf =>
    (password, salt, id, iterations, n, md) => {
      spend(budget, iterations);
      const digest = digestName(md);
      const saltBytes = salt instanceof forge.util.ByteStringBuffer ? Buffer.from(salt.bytes(), 'binary') : undefined;
      if (digest === undefined || !pkcs12KdfSupports(digest) || saltBytes === undefined || (typeof password !== 'string' && password !== null && password !== undefined)) {
        return kdf(password, salt, id, iterations, n, md);
      }
      return forge.util.createBuffer(pkcs12Kdf(bmpPassword(password), saltBytes, id, iterations, n, digest).toString('binary'));
    };
  const decryptKey: DecryptPrivateKeyInfo = (encrypted, password) => {
    if (typeof password !== 'string') return original.decryptKey(encrypted, password);
    const der = nativePrivateKeyInfo(encrypted, password, charge);
    if (der === undefined) return original.decryptKey(encrypted, password);
    return der === null ? null : forge.asn1.fromDer(der.toString('binary'));
  };
  const pbeCipher: Pkcs12PbeCipher = (oid, params, password) =>
    (typeof password === 'string' ? nativePkcs12PbeCipher(oid, params, password, charge) : undefined) ?? original.pbeCipher(oid, params, password);
  pkcs5.pbkdf2 = native;
  pbe.generatePkcs12Key = bounded(original.pbeKdf);
  p12.generateKey = bounded(original.macKdf);
  pki.decryptPrivateKeyInfo = decryptKey;
  pki.pbe.getCipherForPKCS12PBE = pbeCipher;
  hmac.create = () => nativeHmac(original.hmac);
  try {
    return run();
  } finally {
    pkcs5.pbkdf2 = original.pbkdf2;
    pbe.generatePkcs12Key = original.pbeKdf;
    p12.generateKey = original.macKdf;
    pki.decryptPrivateKeyInfo = original.decryptKey;
    pki.pbe.getCipherForPKCS12PBE = original.pbeCipher;
    hmac.create = original.hmac;
  }
}
