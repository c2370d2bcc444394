/**
 * Stores for the screen tests that do not need a fetch: real synthetic applications (intermediary/generator), read
 * by core/xsozial and saved through the store API as the fetch engine saves them — content, summary for the list,
 * Creation time, OSCI attachments, a Testantrag, a "nicht lesbar" delivery. The signature results are the JSON the
 * engine keeps (core/mailbox/message-dto.ts), written here because no signature is checked without a fetch; the
 * full flow test fetches for real (Übungsmodus).
 *
 * The 100,000-row store of the performance test is bench/ui-list.ts's `fillBulk`.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { PostfachStore, type NewDelivery } from '../../../core/store/index.js';
import { signaturesJson } from '../../../core/mailbox/message-dto.js';
import { summarize } from '../../../core/xsozial/index.js';
import { officeTime } from '../../../core/time/office-time.js';
import { evidenceChunks, generateApplication, type Service } from '../../../intermediary/generator/index.js';

export const FIXTURE_PASSWORD = 'Fixture-Passwort-2026';

const SERVICES: readonly Service[] = ['hzl', 'grusi', 'but', 'asylblg', 'wbs'];

const validSignature = signaturesJson([
  {
    role: 'author',
    container: 'Inhaltsdaten',
    result: 'valid',
    certificate: 'trusted',
    algorithm: 'RSA-SHA256',
    revocation: 'not-checked',
    reasons: [],
    technical: 'xmldsig rsa-sha256 over 1 reference (fixture)',
  },
]);

const invalidSignature = signaturesJson([
  {
    role: 'author',
    container: 'Inhaltsdaten',
    result: 'invalid',
    certificate: 'trusted',
    algorithm: 'RSA-SHA256',
    revocation: 'not-checked',
    reasons: [],
    technical: 'DigestValue mismatch for reference #Inhaltsdaten (fixture)',
  },
]);

function messageId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export interface FixtureInfo {
  readonly storePath: string;
  /** Applicants in save order, for assertions. */
  readonly applicants: string[];
  readonly testApplicant: string;
  readonly count: number;
}

/**
 * A small realistic mailbox: `count` applications of every service (every fourth with an OSCI attachment PDF, one
 * Testantrag, one with an invalid signature) plus one "nicht lesbar" delivery. Creation times lie in the past days.
 */
/**
 * Half an hour ago, but never before the office's midnight (Europe/Berlin): tests that expect the newest row under
 * "Heute" must not fail when they run in the first half hour of the office's day.
 */
function newestInOfficeToday(now: number): number {
  const day = officeTime('Europe/Berlin').day(new Date(now));
  let start = now - 30 * 60_000;
  // half an hour ago lies before midnight: forward in minutes to the first one of today
  while (officeTime('Europe/Berlin').day(new Date(start)) !== day) start += 60_000;
  return Math.min(start, now);
}

export async function createFixtureStore(storePath: string, count = 8): Promise<FixtureInfo> {
  const { store } = await PostfachStore.create(storePath, { password: FIXTURE_PASSWORD, durableCommits: false, osUser: 'test' });
  const applicants: string[] = [];
  let testApplicant = '';
  const now = Date.now();
  try {
    for (let i = 0; i < count; i++) {
      const service = SERVICES[i % SERVICES.length] as Service;
      const test = i === 2;
      const app = await generateApplication({ service, seed: `ui-fixture-${i}`, evidence: { count: 1 + (i % 2), size: 24_000 }, test });
      const content = app.bytes();
      const summary = await summarize(content);
      const names = [...summary.applicants];
      applicants.push(names[0] ?? '');
      if (test) testApplicant = names[0] ?? '';
      const withAttachment = i % 4 === 1;
      const delivery: NewDelivery = {
        messageId: messageId(`fixture-${i}`),
        subject: `Antrag ${summary.benefit?.text ?? service}`,
        content,
        contentType: 'application/xml',
        processCard: { creation: new Date(now - (count - i) * 3_600_000 * 7), forwarding: new Date(now - 60_000), reception: new Date(now - 50_000) },
        signatureResult: i === 5 ? invalidSignature : validSignature,
        summary: {
          applicants: names,
          applicantNames: summary.applicantNames,
          benefitCode: summary.benefit?.code ?? null,
          benefitText: summary.benefit?.text ?? null,
          applicationDate: summary.applicationDate?.slice(0, 10) ?? null,
          isTest: summary.test,
          signatureStatus: i === 5 ? 'invalid' : 'trusted',
        },
        attachments: withAttachment
          ? [{ name: 'Kontoauszug.pdf', mimeType: 'application/pdf', content: Buffer.concat([...evidenceChunks({ seed: `att-${i}`, index: 1, size: 20_000, kind: 'pdf' })]) }]
          : [],
        fetchedAt: new Date(now - 60_000),
      };
      await store.saveDelivery(delivery);
    }
    await store.saveDelivery({
      messageId: messageId('fixture-unreadable'),
      content: Buffer.from('-----BEGIN ENCRYPTED CONTENT----- (a delivery encrypted for another certificate) -----END-----'),
      contentType: 'application/octet-stream',
      processCard: { creation: new Date(newestInOfficeToday(now)) },
      unreadableReason: 'no-matching-key',
      unreadableKind: 'no-matching-key',
      summary: { signatureStatus: 'not-checkable' },
      fetchedAt: new Date(now - 60_000),
    });
  } finally {
    store.close();
  }
  return { storePath, applicants, testApplicant, count: count + 1 };
}
