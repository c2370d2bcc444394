/**
 * The manifest of a delivery's folder (`manifest.json`) and the contents of its marker files: what the case system
 * reads to take a delivery over. Times are ISO 8601 with the office's offset; the applicants' names are there
 * because the case system files the application under them (the folder holds the application in plain text anyway).
 */
import type { DeliveryRecord } from '../store/index.js';
import { officeTime } from '../time/office-time.js';
import { coverageOf } from '../mailbox/message-dto.js';
import type { FileFacts } from './durable.js';

export const MANIFEST_FORMAT = 'osci-postfach-uebergabe';
export const MANIFEST_VERSION = 1;

export interface ManifestFile extends FileFacts {
  /** `application-xml`, `pdf`, `attachment` (a signed part of the application) or `other-part` (anything else). */
  readonly role: 'application-xml' | 'pdf' | 'attachment' | 'other-part';
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly formatVersion: typeof MANIFEST_VERSION;
  readonly messageId: string;
  readonly storeId: number;
  readonly folder: string;
  /** A repeat on request: its number (1, 2, …); absent for the hand-over after the fetch. */
  readonly again?: number;
  readonly eingang: string;
  /** False: the Creation is not known yet and `eingang` is the time of the fetch. */
  readonly eingangKnown: boolean;
  /** The code of the Creation's plausibility check (`plausible`, `future`, …), null when none was stored. */
  readonly eingangCheck: string | null;
  readonly fetchedAt: string;
  readonly benefit: { readonly code: string | null; readonly text: string | null };
  readonly applicants: readonly string[];
  readonly applicationDate: string | null;
  readonly test: boolean;
  /** The list status of the application's signature (`gueltig`, `unsigniert`, …) and what covers the application. */
  readonly signature: { readonly status: string | null; readonly coverage: string };
  readonly files: readonly ManifestFile[];
  readonly program: { readonly name: 'OSCI-Postfach'; readonly version: string };
  readonly writtenAt: string;
}

export function roleOf(file: string): ManifestFile['role'] {
  if (file.endsWith('.xml') && !file.includes('/')) return 'application-xml';
  if (file.endsWith('.pdf') && !file.includes('/')) return 'pdf';
  return file.split('/').length > 2 ? 'other-part' : 'attachment';
}

export function manifestOf(
  record: DeliveryRecord,
  facts: { folder: string; again?: number; files: readonly FileFacts[]; timeZone: string; appVersion: string; now: Date },
): Manifest {
  const time = officeTime(facts.timeZone);
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    messageId: record.messageId,
    storeId: record.id,
    folder: facts.folder,
    ...(facts.again === undefined ? {} : { again: facts.again }),
    eingang: time.iso(record.eingang) ?? record.eingang,
    eingangKnown: record.eingangKnown,
    eingangCheck: record.creationCheck,
    fetchedAt: time.iso(record.fetchedAt) ?? record.fetchedAt,
    benefit: { code: record.benefitCode, text: record.benefitText },
    applicants: [...record.applicants],
    applicationDate: record.applicationDate,
    test: record.isTest,
    signature: { status: record.signatureStatus, coverage: coverageOf(record.content.coverage).status },
    files: facts.files.map((f) => ({ ...f, role: roleOf(f.path) })),
    program: { name: 'OSCI-Postfach', version: facts.appVersion },
    writtenAt: time.iso(facts.now) ?? facts.now.toISOString(),
  };
}

/** `<name>.done`: the folder is complete; the manifest's own SHA-256 ties the marker to it. */
export interface DoneMarker {
  readonly format: typeof MANIFEST_FORMAT;
  readonly messageId: string;
  readonly folder: string;
  readonly manifestSha256: string;
}

/** `<name>.error`: this delivery is not handed over with content; why, as a code with words. */
export interface ErrorMarker {
  readonly format: typeof MANIFEST_FORMAT;
  readonly messageId: string;
  readonly storeId: number;
  readonly reason: string;
  readonly words: { readonly de: string; readonly en: string };
  readonly eingang: string;
  readonly program: { readonly name: 'OSCI-Postfach'; readonly version: string };
}
