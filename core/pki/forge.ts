/**
 * node-forge as this program's key-file reading uses it: PKCS#12 (with its PBE, RC2, 3DES, HMAC and MAC digests),
 * PKCS#8 and X.509 through `forge.pki`, ASN.1. The package's index loads every part of forge, TLS, SSH, Ed25519,
 * KEM, PKCS#7 and the TLS cipher suites included, which a cold `postfach inspect` compiled for nothing. The parts
 * fill in the one forge object (code that imports the whole package, the test PKI's certificate builder, shares
 * it); they are required as CommonJS, not imported one by one: each ESM import of a CommonJS file costs the loader
 * more than the file itself (measured: 16 imports made a cold inspect 45 ms of CPU slower, the requires 6 ms faster).
 */
import { createRequire } from 'node:module';
import type * as Forge from 'node-forge';

const require = createRequire(import.meta.url);
const forge = require('node-forge/lib/forge.js') as typeof Forge;
// every digest a PKCS#12 MAC may name (md.all: MD5, SHA-1, SHA-256, SHA-384, SHA-512); the ciphers of its bags
for (const part of ['util', 'asn1', 'oids', 'md.all', 'hmac', 'pbkdf2', 'aes', 'des', 'rc2', 'pbe', 'pkcs7asn1', 'pkcs12', 'pki', 'random']) {
  require(`node-forge/lib/${part}.js`);
}

export default forge;
