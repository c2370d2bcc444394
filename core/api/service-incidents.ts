/**
 * What the service is doing, and what brought it down: two small files in the data folder, written so that they
 * survive the service's death, read by the host that restarts it.
 *
 *  - `service-in-progress.json` (written by the service): the heavy operations running now — their kind, the
 *    store id and the OSCI message id of the message they work on. Written before the work starts, removed after.
 *  - `service-incidents.json` (written by the host after the service died): the last incidents (when, why, which
 *    operations were running) and the quarantine: operations that brought the service down on a message are not
 *    run on that message again ("gesperrt") until IT removes the entry (docs/betrieb.md "Gesperrte Nachrichten").
 *
 * Both are versioned JSON with codes only (operation kinds, reasons, ids, times): no names, no sentences. Writes go
 * to a temporary file and are renamed over the old one, so a reader never sees half a file; a damaged file reads as
 * empty (it must never keep the service from starting).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PostfachError } from '../errors.js';
import { replaceFileSync } from '../io/durable-file.js';

import { HEAVY_OPERATION_WORDS, heavyOperationSchema, incidentReasonSchema, type HeavyOperation } from './contract/app.js';

export { heavyOperationSchema, incidentReasonSchema, type HeavyOperation };

export const operationInProgressSchema = z.strictObject({
  operation: heavyOperationSchema,
  storeId: z.number().int().positive().optional(),
  messageId: z.string().min(1).max(1024).optional(),
  startedAt: z.string().max(40),
});
export type OperationInProgress = z.infer<typeof operationInProgressSchema>;

const inProgressFileSchema = z.strictObject({ version: z.literal(1), operations: z.array(operationInProgressSchema).max(1000) });

/**
 * Why an incident was recorded: the reasons a service dies (the contract's, told to the UI by `service.restarted`)
 * and `not-stopped`, a close after which the service showed no exit even after its kill (ServiceHost.close): a
 * thread or process may still run; nothing restarts, so the UI is not told by event.
 */
export const recordedReasonSchema = z.enum(['memory', 'crashed', 'not-stopped']);
export type IncidentReason = z.infer<typeof recordedReasonSchema>;

export const incidentSchema = z.strictObject({
  at: z.string().max(40),
  reason: recordedReasonSchema,
  /** The operations that were running (the suspects). */
  operations: z.array(operationInProgressSchema).max(1000),
  /** For IT: what the host saw (technical, no personal data). */
  detail: z.string().max(300).optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const quarantineEntrySchema = z.strictObject({
  messageId: z.string().min(1).max(1024),
  operation: heavyOperationSchema,
  since: z.string().max(40),
  reason: recordedReasonSchema,
});
export type QuarantineEntry = z.infer<typeof quarantineEntrySchema>;

const incidentsFileSchema = z.strictObject({
  version: z.literal(1),
  incidents: z.array(incidentSchema).max(100),
  quarantine: z.array(quarantineEntrySchema).max(10_000),
});
type IncidentsFile = z.infer<typeof incidentsFileSchema>;

export const IN_PROGRESS_FILE = 'service-in-progress.json';
export const INCIDENTS_FILE = 'service-incidents.json';
/** Incidents kept for IT (the oldest go first); the quarantine is kept until IT removes entries. */
const KEPT_INCIDENTS = 20;

function readJson<T>(file: string, schema: z.ZodType<T>, empty: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return empty;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : empty;
  } catch {
    return empty;
  }
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // fsynced and renamed: the record of a step that crashed the service must outlive a crash of the machine too
  replaceFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readInProgress(dataDir: string): OperationInProgress[] {
  return readJson(path.join(dataDir, IN_PROGRESS_FILE), inProgressFileSchema, { version: 1, operations: [] }).operations;
}

export function writeInProgress(dataDir: string, operations: readonly OperationInProgress[]): void {
  const file = path.join(dataDir, IN_PROGRESS_FILE);
  if (operations.length === 0) rmSync(file, { force: true });
  else writeJson(file, { version: 1, operations });
}

export function readIncidents(dataDir: string): IncidentsFile {
  return readJson(path.join(dataDir, INCIDENTS_FILE), incidentsFileSchema, { version: 1, incidents: [], quarantine: [] });
}

/** Each reason in the caseworker's words (and IT's), as docs/betrieb.md lists them. */
export const INCIDENT_WORDS: Readonly<Record<IncidentReason, { readonly de: string; readonly en: string }>> = {
  memory: { de: 'Der Hintergrunddienst wurde beendet, weil sein Arbeitsspeicher nicht reichte.', en: 'The background service was ended because it ran out of memory.' },
  crashed: { de: 'Der Hintergrunddienst wurde unerwartet beendet.', en: 'The background service ended unexpectedly.' },
  'not-stopped': {
    de: 'Der Hintergrunddienst ließ sich beim Beenden nicht beenden. Gespeicherte Nachrichten sind erhalten. Startet das Programm danach nicht, bitte den Rechner neu starten oder die IT verständigen.',
    en: 'The background service could not be stopped when closing. Stored messages are kept. If the program does not start afterwards, please restart the computer or contact IT.',
  },
};

/** The close that did not end the service, for whoever closed it (the detail is ServiceHost.close's). */
export const notStoppedError = (detail: string): PostfachError => new PostfachError('service-stopped', INCIDENT_WORDS['not-stopped'], detail.slice(0, 300));

/**
 * Records an incident while `operations` were running (host side, after the service's death or a close that did not
 * end it): the incident, and — unless `quarantine` is false — each operation that worked on a message goes into the
 * quarantine. Clears the in-progress file.
 */
export function recordIncident(
  dataDir: string,
  reason: IncidentReason,
  operations: readonly OperationInProgress[],
  at = new Date(),
  extra: { readonly detail?: string; readonly quarantine?: boolean } = {},
): Incident {
  const file = readIncidents(dataDir);
  const incident: Incident = { at: at.toISOString(), reason, operations: [...operations], ...(extra.detail === undefined ? {} : { detail: extra.detail.slice(0, 300) }) };
  const quarantine = [...file.quarantine];
  for (const op of extra.quarantine === false ? [] : operations) {
    if (op.messageId === undefined || op.operation === 'fetch') continue;
    if (quarantine.some((q) => q.messageId === op.messageId && q.operation === op.operation)) continue;
    quarantine.push({ messageId: op.messageId, operation: op.operation, since: incident.at, reason });
  }
  writeJson(path.join(dataDir, INCIDENTS_FILE), { version: 1, incidents: [...file.incidents, incident].slice(-KEPT_INCIDENTS), quarantine: quarantine.slice(-10_000) });
  writeInProgress(dataDir, []);
  return incident;
}

export function quarantineOf(dataDir: string, messageId: string, operation: HeavyOperation): QuarantineEntry | undefined {
  return readIncidents(dataDir).quarantine.find((q) => q.messageId === messageId && q.operation === operation);
}

/** What an operation is called in the caseworker's words. */
export const OPERATION_WORDS = HEAVY_OPERATION_WORDS;

/** The refusal of an operation on a quarantined message (no personal data: the OSCI message id and codes only). */
export function quarantinedError(entry: QuarantineEntry): PostfachError {
  const words = OPERATION_WORDS[entry.operation];
  return new PostfachError(
    'work-quarantined',
    {
      de: `Diese Nachricht hat den Hintergrunddienst beim ${words.de} zum Absturz gebracht. Damit das nicht wieder geschieht, wird dieser Schritt für sie nicht noch einmal ausgeführt. Bitte wenden Sie sich an die IT. Der Export als XML (so wie empfangen) bleibt möglich.`,
      en: `This message brought the background service down during the ${words.en}. So that this does not happen again, this step is not run for it again. Please contact IT. Exporting it as XML (as received) remains possible.`,
    },
    `quarantined since ${entry.since} (${entry.reason}): ${entry.operation} of message ${entry.messageId}; IT releases it by removing the entry from ${INCIDENTS_FILE} in the data folder`,
  );
}
