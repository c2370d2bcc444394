/**
 * Contract area "trust": the CAs whose certificates make a sender's signature "vertrauenswürdig" — the office's own
 * (kept in the store, imported from .cer/.crt/.pem/.p7b files, removable) and IT's (group policy or the machine
 * file, shown locked). A change judges the stored deliveries again and is in the audit log. Handlers:
 * core/api/handlers/trust.ts. No Node and no DOM (imported by the renderer).
 */
import { z } from 'zod';
import { serviceMethod } from '../contract-kit.js';
import { count, filePath, fingerprint, isoTime, noInput } from './fields.js';
import { certificateSummarySchema, userTextSchema } from './mailbox.js';

export const TRUSTED_CA_SOURCES = ['import', 'setup', 'fetch', 'demo', 'migrated', 'policy', 'machine-file', 'user-settings'] as const;

export const trustedCaSchema = z.lazy(() =>
  z.strictObject({
    certificate: certificateSummarySchema,
    /** office: kept in the store, removable · it: from group policy or the PC's configuration file, not removable here. */
    owner: z.enum(['office', 'it']),
    /**
     * Where it came from: import (Settings, `postfach trust add`), setup, fetch (`fetch --trusted-ca`), demo
     * (Übungsmodus), migrated (an older version's set-up); policy, machine-file, user-settings (IT's settings).
     */
    source: z.enum(TRUSTED_CA_SOURCES),
    /** When the office added it (null for IT's). */
    addedAt: isoTime.nullable(),
    /** false: an office CA while IT fixed the list (it then does not count). */
    inForce: z.boolean(),
  }),
);
export type TrustedCaDto = z.infer<typeof trustedCaSchema>;

export const trustedCaListSchema = z.lazy(() =>
  z.strictObject({
    cas: z.array(trustedCaSchema).max(200),
    /** IT fixed the list: the office cannot add or remove. */
    locked: z.boolean(),
    lockReason: userTextSchema.optional(),
  }),
);

/** Stored deliveries judged again after a change. */
export const reevaluationSchema = z.lazy(() => z.strictObject({ checked: count, changed: count }));

export const trustMethods = {
  'trust.list': serviceMethod(
    () => noInput,
    () => trustedCaListSchema,
  ),
  /** The CA certificates of a file, to show before they are trusted (nothing is changed). */
  'trust.inspectFile': serviceMethod(
    () => z.strictObject({ file: filePath }),
    () =>
      z.strictObject({
        cas: z.array(z.strictObject({ certificate: certificateSummarySchema, alreadyTrusted: z.boolean() })).max(50),
        /** Certificates of the file that are no CA (left out). */
        skipped: count,
      }),
  ),
  /** Trusts the CA certificates of a file (only those named by `fingerprints`, when given); audited. */
  'trust.add': serviceMethod(
    () => z.strictObject({ file: filePath, fingerprints: z.array(fingerprint).min(1).max(50).optional() }),
    () => z.strictObject({ added: count, reevaluated: reevaluationSchema, list: trustedCaListSchema }),
  ),
  /** Stops trusting one of the office's CAs (SHA-256 fingerprint, with or without colons); audited. */
  'trust.remove': serviceMethod(
    () => z.strictObject({ fingerprint }),
    () => z.strictObject({ removed: z.boolean(), reevaluated: reevaluationSchema, list: trustedCaListSchema }),
  ),
};

export const trustEvents = {};
