/**
 * Stores for the screen tests that do not need a fetch: real synthetic applications (intermediary/generator), read
 * by core/xsozial and saved through the store API as the fetch engine saves them — content, summary for the list,
 * Creation time, OSCI attachments, a Testantrag, a "nicht lesbar" delivery. The signature results are the JSON the
 * engine keeps (core/mailbox/message-dto.ts), written here because no signature is checked without a fetch; the
 * full flow test fetches for real (Übungsmodus).
 *
 * `fillBulk` writes many small deliveries fast (no fsync) for the 100,000-row performance test.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { PostfachStore, type NewDelivery } from '../../../core/store/index.js';
import { signaturesJson } from '../../../core/mailbox/message-dto.js';
import { summarize } from '../../../core/xsozial/index.js';
import { evidenceChunks, generateApplication, type Service } from '../../../intermediary/generator/index.js';

export const FIXTURE_PASSWORD = 'Fixture-Passwort-2026';

const SERVICES: readonly Service[] = ['hzl', 'grusi', 'but', 'asylblg', 'wbs'];

const validSignature = signaturesJson([
  {
    role: 'author',
    container: 'Inhaltsdaten',
    result: 'valid',
    certificate: 'trusted',
    words: { de: 'Signatur gültig; Zertifikat vertrauenswürdig; Sperrstatus nicht geprüft', en: 'Signature valid; certificate trusted; revocation not checked' },
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
    words: { de: 'Signatur ungültig – Inhalt wurde nach dem Signieren verändert; nicht verwenden', en: 'Signature invalid – content altered after signing; do not use' },
    algorithm: 'RSA-SHA256',
    revocation: 'not-checked',
    reasons: [{ de: 'Der Hashwert des Inhalts passt nicht zur Signatur.', en: 'The content digest does not match the signature.' }],
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
          benefitCode: summary.benefit?.code ?? null,
          benefitText: summary.benefit?.text ?? null,
          applicationDate: summary.applicationDate?.slice(0, 10) ?? null,
          isTest: summary.test,
          signatureStatus: i === 5 ? 'ungueltig' : 'vertrauenswuerdig',
        },
        attachments: withAttachment ? [{ name: 'Kontoauszug.pdf', mimeType: 'application/pdf', content: Buffer.concat([...evidenceChunks({ seed: `att-${i}`, index: 1, size: 20_000, kind: 'pdf' })]) }] : [],
        fetchedAt: new Date(now - 60_000),
      };
      await store.saveDelivery(delivery);
    }
    await store.saveDelivery({
      messageId: messageId('fixture-unreadable'),
      content: Buffer.from('-----BEGIN ENCRYPTED CONTENT----- (a delivery encrypted for another certificate) -----END-----'),
      contentType: 'application/octet-stream',
      processCard: { creation: new Date(now - 30 * 60_000) },
      unreadableReason: 'nicht lesbar: Inhalt ist für ein anderes Zertifikat verschlüsselt',
      summary: { signatureStatus: 'nicht-pruefbar' },
      fetchedAt: new Date(now - 60_000),
    });
  } finally {
    store.close();
  }
  return { storePath, applicants, testApplicant, count: count + 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// bulk

const FAMILY = ['Müller', 'Schmidt', 'Öztürk', 'Łukasiewicz', 'Nguyễn', 'Weiß', 'Jovanović', 'Schäfer', 'Kowalski', 'Ødegård', 'Becker', 'Yılmaz'];
const GIVEN = ['Erika', 'Ayşe', 'Jan', 'Thị Hoa', 'Sören', 'Milica', 'Zofia', 'Björn', 'Layla', 'Emil'];
const BENEFITS = [
  ['HZL', 'Hilfe zum Lebensunterhalt (SGB XII)'],
  ['GRUSI', 'Grundsicherung im Alter und bei Erwerbsminderung'],
  ['BUT', 'Leistungen für Bildung und Teilhabe'],
  ['ASYLBLG', 'Leistungen nach dem Asylbewerberleistungsgesetz'],
  ['WBS', 'Wohnberechtigungsschein'],
] as const;

/** `count` small deliveries as fast as the store takes them (no fsync): for list performance, not for reading. */
export async function fillBulk(storePath: string, count: number, onProgress?: (done: number) => void): Promise<void> {
  const { store } = await PostfachStore.create(storePath, { password: FIXTURE_PASSWORD, durableCommits: false, osUser: 'bench' });
  const start = Date.UTC(2025, 0, 1);
  try {
    for (let i = 0; i < count; i++) {
      const family = FAMILY[i % FAMILY.length] as string;
      const given = GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length] as string;
      const [code, text] = BENEFITS[i % BENEFITS.length] as readonly [string, string];
      const creation = start + ((i * 7919) % 600) * 86_400_000 + (i % 86_400) * 1000;
      await store.saveDelivery({
        messageId: messageId(`bulk-${i}`),
        content: Buffer.from(`<antrag nr="${i}"><name>${given} ${family}</name><leistung>${code}</leistung></antrag>`),
        contentType: 'application/xml',
        processCard: { creation: new Date(creation) },
        summary: { applicants: [`${family}, ${given}`], benefitCode: code, benefitText: text, isTest: i % 997 === 0, signatureStatus: i % 50 === 0 ? 'nicht-pruefbar' : 'vertrauenswuerdig' },
        searchText: `${given} ${family} Antrag ${i}`,
        fetchedAt: new Date(creation + 3_600_000),
      });
      if (onProgress && i % 10_000 === 0) onProgress(i);
    }
  } finally {
    store.close();
  }
}
