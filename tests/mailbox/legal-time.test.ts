/**
 * The legal time (issue 10), end to end at library level: real intermediary (its clock set for the Creation it
 * stamps), real sender, real fetch engine and store, real PDFs read back with pdftotext.
 *
 *  - a Creation in the future (2099) is flagged "future", never taken to judge certificates: the verdict stays the
 *    one at receipt (before: judged at 2099, a valid certificate showed "ungültig");
 *  - a backdated Creation (before the author created the message) is flagged, and an author certificate that has
 *    expired by now stays "ungültig" (before: judged at the backdated Creation, "vertrauenswürdig" without a word);
 *  - a plausible Creation long ago (the message waited at the intermediary) is the Eingang and the certificate is
 *    judged at it — valid then — and "inzwischen abgelaufen" is said in the detail, the receipt and the PDF;
 *  - the rule as pure functions: tolerances at their edges, the judging time, a stored delivery's judging time.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles, type MailboxIdentity } from '../../core/mailbox/identity.js';
import {
  CREATION_AFTER_FORWARDING_TOLERANCE_MS,
  CREATION_BEFORE_MESSAGE_TOLERANCE_MS,
  CREATION_FUTURE_TOLERANCE_MS,
  checkCreation,
  expiredSince,
  judgingTime,
  judgingTimeOfRecord,
} from '../../core/mailbox/legal-time.js';
import { exportMessage } from '../../core/mailbox/export.js';
import { messageDetail, ViewCache } from '../../core/mailbox/message-detail.js';
import { createTestPki, loadTestPki, testPkiFiles } from '../../core/pki/test-pki.js';
import type { PostfachStore } from '../../core/store/index.js';
import { loadSenderSetup, sendApplications, type RunningIntermediary, type SenderSetup } from '../../intermediary/index.js';
import { createStore, openStore, pkiPassword, sharedPki, startTestIntermediary, tempDir } from './helpers.js';

const DAY = 86_400_000;
const root = tempDir('postfach-legal-time-');
const pdfText = (file: string): string => spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');

let pkiDir = '';
let expiredCa = '';
let intermediary: RunningIntermediary;
/** The intermediary's clock: undefined = the real one. */
let intermediaryNow: Date | undefined;
let sender: SenderSetup;
let expiringSender: SenderSetup;
/** The expiring sender's certificate: valid from 400 days ago until 10 days ago. */
let expiredOn: Date;

function identity(url: string): MailboxIdentity {
  const f = testPkiFiles(pkiDir);
  return identityFromFiles({
    keyFile: f.municipality.p12,
    password: pkiPassword(pkiDir),
    intermediaryUrl: url,
    intermediaryCertificateFile: f.intermediary.cer,
    trustedCaFiles: [f.ca, expiredCa],
    timeoutSeconds: 30,
  });
}

beforeAll(async () => {
  pkiDir = await sharedPki();
  // a sender whose certificate has expired by now (its own CA, trusted like the first)
  const old = path.join(root, 'old-pki');
  await createTestPki(old, { now: new Date(Date.now() - 400 * DAY), validDays: 390 });
  expiredCa = testPkiFiles(old).ca;
  const oldKeys = loadTestPki(old);
  expiredOn = new Date(oldKeys.sender.certificate.validTo);
  sender = loadSenderSetup({ pkiDir });
  expiringSender = { ...sender, sender: oldKeys.sender };
  intermediary = await startTestIntermediary(pkiDir, path.join(root, 'intermediary'), { clock: () => intermediaryNow ?? new Date() });
}, 240_000);

afterAll(async () => {
  await intermediary?.close();
});

/** Sends one application with the intermediary's clock at `creation`, fetches it into a new store. */
async function deliver(name: string, options: { creation?: Date; setup?: SenderSetup; sentAt?: Date }): Promise<{ store: PostfachStore; id: number }> {
  intermediaryNow = options.creation;
  try {
    await sendApplications({ intermediaryUrl: intermediary.url, setup: options.setup ?? sender, seed: name, ...(options.sentAt ? { sentAt: options.sentAt } : {}) });
  } finally {
    intermediaryNow = undefined;
  }
  const dbPath = path.join(root, name, 'postfach.db');
  await createStore(dbPath);
  const store = await openStore(dbPath);
  const result = await runFetch({ store, identity: identity(intermediary.url) });
  expect(result).toMatchObject({ outcome: 'complete', newMessages: 1 });
  return { store, id: result.newIds[0]! };
}

describe('the legal time of a fetched delivery', () => {
  it('a Creation in the future is flagged and not used: the certificate is judged at receipt and stays valid', async () => {
    const { store, id } = await deliver('zukunft', { creation: new Date('2099-01-01T00:00:00Z') });
    try {
      const record = store.getDelivery(id);
      expect(record.creationCheck).toBe('future');
      expect(record.processCard.creation).toBe('2099-01-01T00:00:00.000Z');
      const detail = await messageDetail(store, id, new ViewCache());
      expect(detail.item.creationCheck).toBe('future');
      expect(detail.laufzettel.creationCheck).toMatchObject({ code: 'future', toleranceSeconds: 300 });
      const author = detail.signatures.find((s) => s.role === 'author')!;
      // judged at 2099 the certificate was "ungültig"; at receipt it is what it is: valid and trusted
      expect(author).toMatchObject({ result: 'valid', certificate: 'trusted', validityBasis: 'receipt' });
      expect(Math.abs(new Date(author.checkedAt!).getTime() - new Date(record.times.fetchedAt).getTime())).toBeLessThan(1000);
      expect(author.expiredSince).toBeUndefined();
      expect(detail.item.signatureStatus).toBe('trusted');

      const receipt = path.join(root, 'zukunft', 'eingang.pdf');
      await exportMessage(store, id, 'receipt', receipt, new ViewCache(), { timeZone: 'Europe/Berlin' });
      const text = pdfText(receipt);
      expect(text).toContain('01.01.2099, 01:00:00 Uhr (MEZ, UTC+01:00)');
      expect(text).toContain('Eingang nicht plausibel: liegt in der Zukunft');
      expect(text).toContain('abgerufen am ');
      expect(text).toContain('Zertifikat zum Zeitpunkt des Abrufs geprüft');
    } finally {
      store.close();
    }
  }, 180_000);

  it('a backdated Creation is flagged and cannot make an expired certificate look valid', async () => {
    // the message is created now; the intermediary claims it arrived 100 days ago, when the certificate was valid
    const { store, id } = await deliver('rueckdatiert', { creation: new Date(Date.now() - 100 * DAY), setup: expiringSender });
    try {
      const record = store.getDelivery(id);
      expect(record.creationCheck).toBe('before-message-created');
      const detail = await messageDetail(store, id, new ViewCache());
      const author = detail.signatures.find((s) => s.role === 'author')!;
      expect(author).toMatchObject({ result: 'valid', certificate: 'invalid', validityBasis: 'receipt' });
      expect(author.reasons).toContain('expired');
      expect(detail.item.signatureStatus).toBe('invalid');
      // the verdict is the one at receipt: the rule applied again to the stored delivery agrees
      expect(judgingTimeOfRecord(record)).toMatchObject({ basis: 'receipt', check: { code: 'before-message-created' } });

      const pdf = path.join(root, 'rueckdatiert', 'eingang.pdf');
      await exportMessage(store, id, 'receipt', pdf, new ViewCache());
      const text = pdfText(pdf);
      expect(text).toContain('Eingang nicht plausibel: liegt vor der Erstellung der Nachricht');
      // the author's row (the intermediary's own signature is trusted, and says so)
      const authorRow = text.slice(text.indexOf('Inhaltsdaten'), text.indexOf('Prüfprotokoll des Intermediärs'));
      expect(authorRow).toContain('Zertifikat ungültig');
      expect(authorRow).not.toContain('vertrauenswürdig');
    } finally {
      store.close();
    }
  }, 180_000);

  it('a plausible Creation long ago is the Eingang: judged valid then, "inzwischen abgelaufen" said everywhere', async () => {
    const waited = new Date(Date.now() - 100 * DAY);
    const { store, id } = await deliver('lange-gewartet', { creation: waited, sentAt: new Date(waited.getTime() + 60_000), setup: expiringSender });
    try {
      const record = store.getDelivery(id);
      expect(record.creationCheck).toBe('plausible');
      const detail = await messageDetail(store, id, new ViewCache());
      const author = detail.signatures.find((s) => s.role === 'author')!;
      expect(author).toMatchObject({ result: 'valid', certificate: 'trusted', validityBasis: 'creation', expiredSince: expiredOn.toISOString() });
      expect(new Date(author.checkedAt!).getTime()).toBe(Math.floor(waited.getTime() / 1000) * 1000);

      const receipt = path.join(root, 'lange-gewartet', 'eingang.pdf');
      await exportMessage(store, id, 'receipt', receipt, new ViewCache());
      const pdf = path.join(root, 'lange-gewartet', 'antrag.pdf');
      await exportMessage(store, id, 'pdf', pdf, new ViewCache());
      for (const file of [receipt, pdf]) {
        const text = pdfText(file);
        expect(text).toContain('Zertifikat vertrauenswürdig');
        expect(text).toContain('Zertifikat inzwischen abgelaufen (gültig bis ');
        expect(text).not.toContain('nicht plausibel');
      }
    } finally {
      store.close();
    }
  }, 180_000);
});

describe('the rule', () => {
  const receivedAt = new Date('2026-03-29T10:00:00Z');
  const at = (ms: number): string => new Date(receivedAt.getTime() + ms).toISOString();

  it('checks the Creation against the clock, the Forwarding and the message, each with its tolerance', () => {
    expect(checkCreation({ creation: at(CREATION_FUTURE_TOLERANCE_MS), receivedAt }).code).toBe('plausible');
    expect(checkCreation({ creation: at(CREATION_FUTURE_TOLERANCE_MS + 1000), receivedAt })).toEqual({
      code: 'future',
      reference: receivedAt.toISOString(),
      toleranceSeconds: 300,
    });
    expect(checkCreation({ creation: at(-60_000), forwarding: at(-60_000 - CREATION_AFTER_FORWARDING_TOLERANCE_MS), receivedAt }).code).toBe('plausible');
    expect(checkCreation({ creation: at(-60_000), forwarding: at(-62_000), receivedAt }).code).toBe('after-forwarding');
    const created = at(-3_600_000);
    expect(checkCreation({ creation: at(-3_600_000 - CREATION_BEFORE_MESSAGE_TOLERANCE_MS), receivedAt, messageCreatedAt: created }).code).toBe('plausible');
    expect(checkCreation({ creation: at(-3_600_000 - CREATION_BEFORE_MESSAGE_TOLERANCE_MS - 1000), receivedAt, messageCreatedAt: created })).toMatchObject({
      code: 'before-message-created',
      reference: created,
    });
    // the author's time with an offset counts; one without a zone cannot be placed and is not compared
    expect(checkCreation({ creation: '2026-03-29T08:00:00Z', receivedAt, messageCreatedAt: '2026-03-29T10:00:00.000+02:00' }).code).toBe('plausible');
    expect(checkCreation({ creation: '2026-03-29T08:00:00Z', receivedAt, messageCreatedAt: '2026-03-29T10:00:00.000+01:00' }).code).toBe('before-message-created');
    expect(checkCreation({ creation: '2026-03-29T08:00:00Z', receivedAt, messageCreatedAt: '2026-03-29T11:00:00.000' }).code).toBe('plausible');
    expect(checkCreation({ creation: null, receivedAt }).code).toBe('missing');
    expect(checkCreation({ creation: 'gestern', receivedAt }).code).toBe('unreadable');
    // a zone-less stamp is UTC (as the OSCI library writes them), whatever zone this machine is in
    expect(checkCreation({ creation: '2026-03-29T10:04:59', receivedAt }).code).toBe('plausible');
  });

  it('judges at the Creation only when it is plausible; "expired since" only between the judging time and now', () => {
    expect(judgingTime({ code: 'plausible' }, '2026-03-01T00:00:00Z', receivedAt)).toEqual({ at: new Date('2026-03-01T00:00:00Z'), basis: 'creation' });
    for (const code of ['future', 'after-forwarding', 'before-message-created', 'missing', 'unreadable'] as const) {
      expect(judgingTime({ code }, '2026-03-01T00:00:00Z', receivedAt)).toEqual({ at: receivedAt, basis: 'receipt' });
    }
    const judged = new Date('2026-03-01T00:00:00Z');
    expect(expiredSince('2026-03-15T00:00:00Z', judged, receivedAt)).toBe('2026-03-15T00:00:00.000Z');
    expect(expiredSince('2026-02-15T00:00:00Z', judged, receivedAt)).toBeUndefined();
    expect(expiredSince('2026-04-15T00:00:00Z', judged, receivedAt)).toBeUndefined();
  });

  it('a delivery stored before the check was kept: the rule applied to its stored stamps', () => {
    const times = { fetchedAt: receivedAt.toISOString() };
    const card = (creation: string | null) => ({ creation, forwarding: null, reception: null, inspectionReport: null, creationCheck: null });
    expect(judgingTimeOfRecord({ processCard: card('2026-03-29T09:00:00Z'), times } as never)).toMatchObject({ basis: 'creation', check: { code: 'plausible' } });
    expect(judgingTimeOfRecord({ processCard: card('2099-01-01T00:00:00Z'), times } as never)).toMatchObject({ basis: 'receipt', at: receivedAt, check: { code: 'future' } });
    expect(
      judgingTimeOfRecord({ processCard: { ...card('2026-03-01T00:00:00Z'), creationCheck: { version: 1, check: { code: 'before-message-created' } } }, times } as never),
    ).toMatchObject({ basis: 'receipt' });
  });
});
