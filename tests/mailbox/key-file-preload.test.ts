/**
 * The mailbox's key file loaded ahead of the fetch (core/pki/key-file-preload.ts, issue 14 cold fetch): the fetch
 * takes the early load only for the same path, the same password and byte-for-byte the same file, once; an early
 * load that failed leaves nothing, so the fetch fails exactly as without it (the same kind, the same words).
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityFromFiles, type IdentitySetup } from '../../core/mailbox/identity.js';
import { preloadedPkcs12Count, preloadPkcs12, takePreloadedPkcs12 } from '../../core/pki/key-file-preload.js';
import { loadPkcs12 } from '../../core/pki/pkcs12.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { readFileSync } from 'node:fs';
import { pkiPassword, sharedPki, tempDir } from './helpers.js';

let pkiDir = '';
let password = '';

beforeAll(async () => {
  pkiDir = await sharedPki();
  password = pkiPassword(pkiDir);
}, 120_000);

function setup(keyFile: string, p12Password = password): IdentitySetup {
  const f = testPkiFiles(pkiDir);
  return { keyFile, password: p12Password, intermediaryUrl: 'https://intermediaer.example/osci', intermediaryCertificateFile: f.intermediary.cer };
}

/** The key file in a folder of its own, so that a test may change it. */
function ownCopy(role: 'municipality' | 'sender' = 'municipality'): string {
  const file = path.join(tempDir(), 'postfach.p12');
  copyFileSync(testPkiFiles(pkiDir)[role].p12, file);
  return file;
}

const errorOf = (run: () => unknown): { kind: string; de: string; detail: string } => {
  try {
    run();
  } catch (error) {
    const e = error as { kind: string; text: { de: string }; detail: string };
    return { kind: e.kind, de: e.text.de, detail: e.detail };
  }
  throw new Error('no error');
};

describe('the key file loaded ahead of the fetch', () => {
  it('is taken once, for the same path, password and bytes, and gives the same keys', () => {
    const file = ownCopy();
    preloadPkcs12({ file, password });
    expect(preloadedPkcs12Count()).toBe(1);
    const identity = identityFromFiles(setup(file));
    expect(preloadedPkcs12Count()).toBe(0);
    const direct = loadPkcs12(readFileSync(file), password).keys[0]!;
    expect(identity.cipherKey.certificate.fingerprint256).toBe(direct.certificate.fingerprint256);
    expect(identity.cipherKey.privateKey.equals(direct.privateKey)).toBe(true);
    // the early result itself was handed out: a second take finds nothing
    expect(takePreloadedPkcs12(file, password, readFileSync(file))).toBeUndefined();
  });

  it('is the very object loaded early (not loaded again) when nothing changed', () => {
    const file = ownCopy();
    preloadPkcs12({ file, password });
    const taken = takePreloadedPkcs12(file, password, readFileSync(file));
    expect(taken).toBeDefined();
    expect(preloadedPkcs12Count()).toBe(0);
  });

  it('a file changed after the early load: the fetch loads what the file holds now', () => {
    const file = ownCopy('municipality');
    preloadPkcs12({ file, password });
    copyFileSync(testPkiFiles(pkiDir).sender.p12, file);
    const identity = identityFromFiles(setup(file));
    expect(identity.cipherKey.certificate.fingerprint256).toBe(loadPkcs12(readFileSync(testPkiFiles(pkiDir).sender.p12), password).keys[0]!.certificate.fingerprint256);
    expect(preloadedPkcs12Count()).toBe(0);
  });

  it('another password at the fetch than early: the fetch loads with its own and fails as without the early load', () => {
    const file = ownCopy();
    const without = errorOf(() => identityFromFiles(setup(file, 'Falsches-Passwort-1')));
    preloadPkcs12({ file, password });
    expect(errorOf(() => identityFromFiles(setup(file, 'Falsches-Passwort-1')))).toEqual(without);
    expect(without.kind).toBe('pkcs12-wrong-password');
    expect(preloadedPkcs12Count()).toBe(0);
  });

  it('an early load that fails leaves nothing: the fetch reports the same error with the same German words', () => {
    const file = ownCopy();
    const wrong = errorOf(() => identityFromFiles(setup(file, 'Falsches-Passwort-1')));
    preloadPkcs12({ file, password: 'Falsches-Passwort-1' });
    expect(preloadedPkcs12Count()).toBe(0);
    expect(errorOf(() => identityFromFiles(setup(file, 'Falsches-Passwort-1')))).toEqual(wrong);

    const missing = path.join(tempDir(), 'fehlt.p12');
    const unreadable = errorOf(() => identityFromFiles(setup(missing)));
    preloadPkcs12({ file: missing, password });
    expect(preloadedPkcs12Count()).toBe(0);
    expect(errorOf(() => identityFromFiles(setup(missing)))).toEqual(unreadable);
    expect(unreadable.kind).toBe('input-file');
  });
});
