/**
 * The machine settings (core/config) applied to a mailbox identity: what IT locked (policy or the machine file's
 * `settings`) replaces the identity's own connection values; CAs for HTTPS from the settings are added to the
 * identity's; the proxy comes from the settings. The identity in the store is not changed: a policy removed later
 * gives the caseworker's own values back.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/load-config.js';
import { loadCertificates } from '../pki/pkcs12.js';
import type { Connection, MailboxIdentity } from './identity.js';
import type { ProxySetting } from './transport.js';

export interface NetworkSettings {
  readonly proxy: ProxySetting;
}

function certificates(files: readonly string[] | undefined): X509Certificate[] {
  // validated when the settings were loaded (a broken file is reported there and not taken)
  return (files ?? []).flatMap((file) => {
    try {
      return loadCertificates(readFileSync(file));
    } catch {
      return [];
    }
  });
}

/** The proxy as the settings say; 'system' is the environment outside the desktop app. */
export function networkSettings(config: ResolvedConfig | undefined): NetworkSettings {
  const v = config?.values;
  if (v === undefined) return { proxy: { mode: 'env' } };
  switch (v.proxyMode) {
    case 'direct':
      return { proxy: { mode: 'direct' } };
    case 'fixed':
      return { proxy: v.proxyUrl ? { mode: 'fixed', url: v.proxyUrl } : { mode: 'env' } };
    case 'pac':
      return { proxy: v.proxyPacUrl ? { mode: 'pac', pacUrl: v.proxyPacUrl } : { mode: 'env' } };
    default:
      return { proxy: { mode: 'env' } };
  }
}

/** The connection with the locked settings in force and the settings' TLS CAs added. */
export function connectionUnderPolicy(connection: Connection, config: ResolvedConfig | undefined): Connection {
  if (config === undefined) return connection;
  const locked = (key: keyof ResolvedConfig['state']) => config.state[key].locked;
  const v = config.values;
  const intermediaryCertificate = locked('intermediaryCertificateFile')
    ? (certificates([v.intermediaryCertificateFile as string])[0] ?? connection.intermediaryCertificate)
    : connection.intermediaryCertificate;
  const signers = locked('intermediarySignerFiles') ? certificates(v.intermediarySignerFiles) : undefined;
  const extraTls = config.state.tlsCaFiles.source === 'default' || config.state.tlsCaFiles.source === 'none' ? [] : certificates(v.tlsCaFiles);
  const known = new Set(connection.tlsCas.map((c) => c.fingerprint256));
  return {
    ...connection,
    intermediaryUrl: locked('intermediaryUrl') && v.intermediaryUrl ? v.intermediaryUrl : connection.intermediaryUrl,
    intermediaryCertificate,
    intermediarySigners:
      signers && signers.length > 0
        ? signers
        : locked('intermediaryCertificateFile') && !connection.intermediarySigners.some((s) => s.ca)
          ? [intermediaryCertificate]
          : connection.intermediarySigners,
    trustedCas: locked('trustedCaFiles') ? certificates(v.trustedCaFiles) : connection.trustedCas,
    tlsCas: [...connection.tlsCas, ...extraTls.filter((c) => !known.has(c.fingerprint256))],
  };
}

export function identityUnderPolicy(identity: MailboxIdentity, config: ResolvedConfig | undefined): MailboxIdentity {
  return config === undefined ? identity : { ...identity, connection: connectionUnderPolicy(identity.connection, config) };
}
