/**
 * The key policy for mailbox keys, at set-up and at rotation: refuse an RSA key shorter than the policy's minimum
 * (default 2048 bit; below 3000 bit the certificate description warns in any case, BSI TR-02102), refuse a
 * self-signed certificate where the policy says so; at rotation also a certificate that has expired or is not yet
 * valid (a set-up may still take an expired key, so that what waits at the intermediary can be fetched).
 */
import type { X509Certificate } from 'node:crypto';
import type { ResolvedConfig } from '../config/load-config.js';
import { PostfachError } from '../errors.js';
import { describeCertificate } from '../pki/certificate-facts.js';
import type { MailboxIdentity } from './identity.js';

export function checkKeyPolicy(
  identity: Pick<MailboxIdentity, 'cipherKey' | 'signatureKey'>,
  config: ResolvedConfig | undefined,
  options: { now?: Date; requireValidNow?: boolean } = {},
): void {
  const now = options.now ?? new Date();
  const minimum = config?.values.minimumKeyBits ?? 2048;
  const refuseSelfSigned = config?.values.refuseSelfSignedMailboxCertificates ?? false;
  const seen = new Set<string>();
  for (const [role, cert] of [
    ['cipher', identity.cipherKey.certificate],
    ['signature', identity.signatureKey.certificate],
  ] as Array<[string, X509Certificate]>) {
    if (seen.has(cert.fingerprint256)) continue;
    seen.add(cert.fingerprint256);
    const facts = describeCertificate(cert, { at: now });
    const rsa = facts.key.algorithm === 'RSA' || facts.key.algorithm === 'RSA-PSS';
    if (rsa && facts.key.bits !== undefined && facts.key.bits < minimum) {
      throw new PostfachError(
        'key-too-short',
        {
          de: `Der Schlüssel des Postfachs ist mit ${facts.key.bits} Bit kürzer als die von Ihrer IT verlangten ${minimum} Bit. Bitte einen längeren Schlüssel beantragen.`,
          en: `The mailbox key has ${facts.key.bits} bit, less than the ${minimum} bit your IT requires. Please request a longer key.`,
        },
        `${role} key ${facts.key.algorithm} ${facts.key.bits} bit < minimumKeyBits ${minimum}; sha256=${cert.fingerprint256}`,
      );
    }
    if (refuseSelfSigned && facts.selfSigned) {
      throw new PostfachError(
        'key-self-signed',
        {
          de: 'Das Zertifikat des Postfachschlüssels ist selbst signiert. Ihre IT lässt nur Zertifikate einer Zertifizierungsstelle zu.',
          en: 'The mailbox key’s certificate is self-signed. Your IT only allows certificates issued by a certification authority.',
        },
        `${role} certificate self-signed (refuseSelfSignedMailboxCertificates); sha256=${cert.fingerprint256}`,
      );
    }
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (options.requireValidNow === true && (to.getTime() <= now.getTime() || from.getTime() > now.getTime())) {
      throw new PostfachError(
        'key-not-valid-now',
        {
          de:
            to.getTime() <= now.getTime()
              ? 'Das Zertifikat des Postfachschlüssels ist abgelaufen und kann nicht eingerichtet werden.'
              : 'Das Zertifikat des Postfachschlüssels ist noch nicht gültig.',
          en: to.getTime() <= now.getTime() ? 'The mailbox key’s certificate has expired and cannot be set up.' : 'The mailbox key’s certificate is not valid yet.',
        },
        `${role} certificate valid ${from.toISOString()}..${to.toISOString()}; sha256=${cert.fingerprint256}`,
      );
    }
  }
}
