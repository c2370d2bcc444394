/**
 * Password-based decryption of PKCS#12 bags on node:crypto (OpenSSL) instead of node-forge's JavaScript, where
 * OpenSSL's default provider has the cipher:
 *
 *  - a shrouded key bag (an EncryptedPrivateKeyInfo) protected with pbeWithSHAAnd3-KeyTripleDES-CBC (legacy files)
 *    or PBES2/PBKDF2 with AES-CBC or 3DES (OpenSSL 3, Java keytool) is handed whole to `createPrivateKey` with the
 *    password: OpenSSL derives key and IV (its own PKCS#12 KDF, resp. PBKDF2), decrypts and parses in C. For a
 *    legacy 4096-bit key that is 2 × 50000 SHA-1 iterations in about 13 ms of CPU instead of ~60 ms in
 *    JavaScript (bench/pki.ts);
 *  - an encrypted SafeContents (the certificate bag) under pbeWithSHAAnd3-KeyTripleDES-CBC: key and IV from
 *    pkcs12-kdf.ts, decrypted by `createDecipheriv('des-ede3-cbc')`.
 *
 * RC2 (pbeWithSHAAnd40BitRC2-CBC, the certificate bag of most legacy files) is only in OpenSSL 3's legacy
 * provider, which Node does not load (`createDecipheriv('rc2-40-cbc')` → "unsupported"): those bags stay with
 * forge's RC2, their key derivation on pkcs12-kdf.ts. Anything else not recognised here also stays with forge.
 *
 * The iteration counts are read here and charged to the load's budget before OpenSSL runs (forge-native-pbkdf2.ts
 * keeps the bounds); the password's bytes are those forge's path used: UTF-8 for PBKDF2, the BMPString (UTF-16
 * code units; OpenSSL converts the UTF-8 password the same way) for the PKCS#12 KDF.
 */
import { createDecipheriv, createPrivateKey } from 'node:crypto';
import type * as Forge from 'node-forge';
import forge from './forge.js';
import { bytesOf, children, oidOf, type Asn1 } from './asn1-reader.js';
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';

const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';

/** The PBES2 encryption schemes OpenSSL's default provider decrypts (AES-CBC, 3DES-CBC). */
const PBES2_CIPHERS: ReadonlySet<string> = new Set([
  '2.16.840.1.101.3.4.1.2', // aes128-CBC
  '2.16.840.1.101.3.4.1.22', // aes192-CBC
  '2.16.840.1.101.3.4.1.42', // aes256-CBC
  '1.2.840.113549.3.7', // des-ede3-cbc
]);
/** PBKDF2's PRFs OpenSSL knows (HMAC with SHA-1 when absent). */
const PBKDF2_PRFS: ReadonlySet<string> = new Set([
  '1.2.840.113549.2.7', // hmacWithSHA1
  '1.2.840.113549.2.8', // hmacWithSHA224
  '1.2.840.113549.2.9', // hmacWithSHA256
  '1.2.840.113549.2.10', // hmacWithSHA384
  '1.2.840.113549.2.11', // hmacWithSHA512
]);

/** Charges one derivation of `iterations` to the load's budget (throws KdfTooCostly beyond the bounds). */
export type Spend = (iterations: number) => void;

function integerOf(node: Asn1): number {
  const bytes = bytesOf(node);
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0]! & 0x80) !== 0) return -1; // not a small positive count
  return bytes.readUIntBE(0, bytes.length);
}

/** PKCS#12 PBE parameters: SEQUENCE { salt OCTET STRING, iterations INTEGER }. */
function pkcs12PbeParams(params: Asn1): { salt: Buffer; iterations: number } {
  const [salt, iterations] = children(params);
  if (!salt || !iterations) throw new Error('PKCS#12 PBE parameters incomplete');
  return { salt: bytesOf(salt), iterations: integerOf(iterations) };
}

/**
 * The iterations the derivations of a PBE algorithm cost (charged to the budget as forge's path charged them:
 * PKCS#12 PBE derives key and IV separately, PBES2 once), or undefined when OpenSSL is not asked (left to forge).
 */
function nativeCost(algorithm: Asn1): number[] | undefined {
  const [oidNode, params] = children(algorithm);
  if (!oidNode || !params) return undefined;
  const oid = oidOf(oidNode);
  if (oid === PBE_SHA1_3DES) {
    const { iterations } = pkcs12PbeParams(params);
    return [iterations, iterations];
  }
  if (oid !== PBES2) return undefined;
  const [kdf, scheme] = children(params);
  if (!kdf || !scheme) return undefined;
  const [kdfOid, kdfParams] = children(kdf);
  const [schemeOid] = children(scheme);
  if (!kdfOid || !kdfParams || !schemeOid || oidOf(kdfOid) !== PBKDF2 || !PBES2_CIPHERS.has(oidOf(schemeOid))) return undefined;
  // PBKDF2-params: salt (specified OCTET STRING), iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1
  const fields = children(kdfParams);
  const [salt, count] = fields;
  if (!salt || !count || Array.isArray(salt.value)) return undefined;
  const prf = fields.slice(2).find((f) => Array.isArray(f.value));
  if (prf) {
    const [prfOid] = children(prf);
    if (!prfOid || !PBKDF2_PRFS.has(oidOf(prfOid))) return undefined;
  }
  return [integerOf(count)];
}

function derOf(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/**
 * Decrypts a shrouded key bag (EncryptedPrivateKeyInfo) with OpenSSL: the PrivateKeyInfo DER; null when it does
 * not decrypt (a wrong password, or a damaged bag); undefined when this algorithm is left to forge.
 */
export function nativePrivateKeyInfo(encrypted: Asn1, password: string, spend: Spend): Buffer | null | undefined {
  // an empty password is encoded differently by the paths (absent vs. BMPString of two zero bytes): forge's
  if (password.length === 0) return undefined;
  const [algorithm] = children(encrypted);
  if (!algorithm) return undefined;
  const cost = nativeCost(algorithm);
  if (!cost) return undefined;
  for (const iterations of cost) spend(iterations);
  try {
    return createPrivateKey({ key: derOf(encrypted), format: 'der', type: 'pkcs8', passphrase: password }).export({ format: 'der', type: 'pkcs8' });
  } catch {
    // OpenSSL says "bad decrypt" for a wrong key, or an ASN.1 error where the padding happened to fit
    return null;
  }
}

/** What forge's PBE cipher objects offer that its PKCS#12 code uses. */
export interface ForgeCipherLike {
  update(input: Forge.util.ByteStringBuffer): void;
  finish(): boolean;
  readonly output: Forge.util.ByteStringBuffer;
}

/**
 * A decrypting cipher for an encrypted SafeContents under pbeWithSHAAnd3-KeyTripleDES-CBC, on node:crypto with
 * the key and IV of pkcs12-kdf.ts; undefined for any other algorithm (forge's, RC2 among them).
 */
export function nativePkcs12PbeCipher(oid: string, params: Asn1, password: string, spend: Spend): ForgeCipherLike | undefined {
  if (oid !== PBE_SHA1_3DES || password.length === 0) return undefined;
  const { salt, iterations } = pkcs12PbeParams(params);
  spend(iterations);
  const key = pkcs12Kdf(bmpPassword(password), salt, 1, iterations, 24, 'sha1');
  spend(iterations);
  const iv = pkcs12Kdf(bmpPassword(password), salt, 2, iterations, 8, 'sha1');
  const decipher = createDecipheriv('des-ede3-cbc', key, iv);
  const parts: Buffer[] = [];
  const output = forge.util.createBuffer();
  return {
    update(input) {
      parts.push(decipher.update(Buffer.from(input.getBytes(), 'binary')));
    },
    finish() {
      try {
        parts.push(decipher.final());
      } catch {
        return false; // bad padding: wrong key
      }
      output.putBytes(Buffer.concat(parts).toString('binary'));
      return true;
    },
    output,
  };
}
