/**
 * Content key transports started ahead (issue 14): the RSA private-key operation that opens an encrypted content
 * container depends only on its EncryptedKey, not on any other container, so the next container's can run on
 * libuv's thread pool (rsa-key-transport.ts, `unwrapKeyConcurrently`) while the main thread opens the current one.
 *
 * Nothing is decided here. A container takes a started operation only when it chose the same key for the same
 * EncryptedKey with the same ciphertext; its failure is the same single error `unwrapKey` gives, reported by the
 * container in its turn (document order, as without the head start). Anything that cannot be started (no matching
 * key, a malformed EncryptedData) is left alone: the container reports it itself.
 *
 * Starting them earlier — both containers of exchange/06 on the pool as soon as the message is parsed, beside the
 * message signature's check — was measured and dropped (docs/performance.md, branch `decode2`): the main thread
 * then gave up its core and the two pool threads had to get cores of their own; at load 2–4 the median decode rose
 * from 12.7–13.4 to 14.7–16.9 ms. The main thread keeps one RSA operation, the pool the other.
 */
import type { Element } from '@xmldom/xmldom';
import type { KeyEntry } from '../../pki/pkcs12.js';
import { symmetricAlgorithm } from '../crypto/algorithms.js';
import { unwrapKeyConcurrently } from '../crypto/rsa-key-transport.js';
import { parseEncryptedData, type EncryptedDataInfo, type EncryptedKeyInfo } from '../crypto/xmlenc.js';
import type { OsciMessage } from '../messages/model.js';
import { NS } from '../xml/namespaces.js';
import { attr, childElements } from '../xml/parse.js';

export interface StartedKeyTransport {
  /** The EncryptedData as parsed when the operation was started (the same element, not changed since). */
  readonly info: EncryptedDataInfo;
  readonly privateKey: KeyEntry['privateKey'];
  /** Position of the EncryptedKey used. */
  readonly index: number;
  readonly cipherValue: Buffer;
  readonly symmetricKey: Promise<Buffer>;
}

const started = new WeakMap<Element, StartedKeyTransport>();

/** Certificates a content EncryptedKey may point to: cipher certificates of NonIntermediaryCertificates. */
function recipientCertificate(message: OsciMessage, ek: EncryptedKeyInfo): Buffer | undefined {
  if (ek.certificateDer) return ek.certificateDer;
  if (!ek.retrievalUri?.startsWith('#')) return undefined;
  const target = message.xml.ids.get(ek.retrievalUri.slice(1));
  const entry = message.nonIntermediaryCertificates.find((e) => e.element === target && e.role.startsWith('Cipher'));
  return entry?.certificate.raw;
}

/** The first EncryptedKey (by position) that one of the keys opens, and that key. */
export function chooseKey(message: OsciMessage, info: EncryptedDataInfo, keys: readonly KeyEntry[]): { index: number; key: KeyEntry } | undefined {
  for (let index = 0; index < info.encryptedKeys.length; index++) {
    const der = recipientCertificate(message, info.encryptedKeys[index]!);
    const key = der ? keys.find((k) => k.certificateDer.equals(der)) : undefined;
    if (key) return { index, key };
  }
  return undefined;
}

/** Starts the key transport of one content EncryptedData on the pool, unless started already or not startable. */
export function startKeyTransport(el: Element, message: OsciMessage, keys: readonly KeyEntry[]): void {
  if (started.has(el)) return;
  let info: EncryptedDataInfo;
  let chosen: { index: number; key: KeyEntry } | undefined;
  let keyLength: number;
  try {
    info = parseEncryptedData(el, 'content EncryptedData');
    chosen = chooseKey(message, info, keys);
    keyLength = symmetricAlgorithm(info.symmetric.algorithm).keyLength;
  } catch {
    return; // the container reports it in its turn
  }
  if (!chosen) return;
  const ek = info.encryptedKeys[chosen.index]!;
  const id = attr(el, 'Id');
  const symmetricKey = unwrapKeyConcurrently(chosen.key.privateKey, ek.method, ek.cipherValue, keyLength, 'content-decryption', `EncryptedData ${id ?? ''}`);
  symmetricKey.catch(() => undefined); // reported when the container takes it; no unhandled rejection meanwhile
  started.set(el, { info, privateKey: chosen.key.privateKey, index: chosen.index, cipherValue: ek.cipherValue, symmetricKey });
}

/** The operation started for this EncryptedData, if any (the container checks that it chose the same). */
export function startedKeyTransport(el: Element): StartedKeyTransport | undefined {
  return started.get(el);
}

/** The encrypted containers a ContentPackage holds at its top level, in document order. */
export function topLevelEncryptedContainers(message: OsciMessage): Element[] {
  return message.contentPackage ? childElements(message.contentPackage, NS.xenc, 'EncryptedData') : [];
}
