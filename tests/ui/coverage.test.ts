/**
 * Issue 10 in the real UI (Debian Chromium against the loopback bridge): deliveries a hostile intermediary rewrote
 * (tests/mailbox/hostile.ts, real cryptography), fetched with the real engine into a real store, show each part as
 * what it is — the list's signature column, the "NICHT SIGNIERT" banner of an application no signature covers, the
 * notice of extra parts, the Laufzettel's "Teile der Zustellung" with each part's status and what the sender's
 * signature covers, the document tiles. axe-core runs on each; screenshots go to test-artifacts/.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFetch } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles } from '../../core/mailbox/identity.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { PostfachStore } from '../../core/store/index.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { loadIntermediaryKeys, loadSenderSetup, startIntermediary, type HandedOutDelivery } from '../../intermediary/index.js';
import { pkiPassword, send, sharedPki } from '../mailbox/helpers.js';
import { forgedApplication, forgedEvidence, forgedPlainInFront, replaceByUnsigned, sendWithUncoveredContent } from '../mailbox/hostile.js';
import { wordsOf } from '../../core/domain/words/index.js';
import { expectAxeClean } from './helpers/axe.js';
import { listedItems } from './helpers/flow.js';
import { FIXTURE_PASSWORD } from './helpers/fixture-store.js';
import { saveScreenshot } from './helpers/screenshots.js';
import { startUiSession, type UiSession } from './helpers/ui-session.js';

let ui: UiSession;
let forgedApplicant = '';
const ids = { front: '', unsigned: '', uncovered: '' };

/** A store filled by a real fetch from an intermediary that forged two of three deliveries. */
async function hostileStore(dataDir: string): Promise<void> {
  const pkiDir = await sharedPki();
  const rewrites = new Map<string, (d: HandedOutDelivery) => Promise<HandedOutDelivery>>();
  const intermediary = await startIntermediary({
    port: 0,
    dataDir: path.join(dataDir, 'feindlicher-intermediaer'),
    keys: loadIntermediaryKeys({ pkiDir }),
    options: { rewriteDelivery: async (d) => (rewrites.get(d.messageId) ?? (async (x: HandedOutDelivery) => x))(d) },
  });
  try {
    const forged = await forgedApplication('ui-gefaelscht');
    forgedApplicant = forged.applicant;
    await send(intermediary.url, pkiDir, { seed: 'ui-echt-kontrolle', attachments: 1, attachmentSize: 20_000 });
    const [front] = await send(intermediary.url, pkiDir, { seed: 'ui-echt-davor', attachments: 1, attachmentSize: 20_000 });
    rewrites.set(front!.messageId, forgedPlainInFront(forged.bytes));
    const [unsigned] = await send(intermediary.url, pkiDir, { seed: 'ui-echt-ersetzt' });
    rewrites.set(unsigned!.messageId, replaceByUnsigned(forged.bytes));
    ids.front = front!.messageId;
    ids.unsigned = unsigned!.messageId;
    // a hostile sender: one signed and one extra unsigned Content in the same container
    const genuine = (await generateApplication({ service: 'hzl', seed: 'ui-echt-unerfasst' })).bytes();
    ids.uncovered = await sendWithUncoveredContent(intermediary.url, loadSenderSetup({ pkiDir }), genuine, forgedEvidence('ui-anlage'), forged.bytes);
    const f = testPkiFiles(pkiDir);
    const { store } = await PostfachStore.create(path.join(dataDir, 'postfach.db'), { password: FIXTURE_PASSWORD, durableCommits: false, osUser: 'test' });
    try {
      const identity = identityFromFiles({
        keyFile: f.municipality.p12,
        password: pkiPassword(pkiDir),
        intermediaryUrl: intermediary.url,
        intermediaryCertificateFile: f.intermediary.cer,
        trustedCaFiles: [f.ca],
        timeoutSeconds: 30,
      });
      const result = await runFetch({ store, identity });
      expect(result).toMatchObject({ outcome: 'complete', newMessages: 4, unreadable: 0 });
    } finally {
      store.close();
    }
  } finally {
    await intermediary.close();
  }
}

beforeAll(async () => {
  ui = await startUiSession({ prepare: hostileStore });
  await ui.open();
  const { page } = ui;
  await page.getByLabel('Passwort des Datenspeichers').fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: 'Mit Passwort öffnen' }).click();
  await page.getByTestId('message-list').waitFor();
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

async function openMessage(messageId: string): Promise<void> {
  const item = (await listedItems(ui)).find((i) => i.messageId === messageId)!;
  await ui.page.locator(`[data-testid="message-list"] [data-id="${item.id}"]`).click();
  await ui.page
    .getByTestId('message-view')
    .and(ui.page.locator(`[data-message-id="${item.id}"]`))
    .waitFor();
}

describe("a forged delivery in the caseworker's window", () => {
  it('an application no signature covers: "nicht signiert" in the list, the banner, the Laufzettel per part', async () => {
    const { page } = ui;
    const items = await listedItems(ui);
    const unsigned = items.find((i) => i.messageId === ids.unsigned)!;
    expect(unsigned.signatureStatus).toBe('unsigned');
    const row = page.locator(`[data-testid="message-list"] [data-id="${unsigned.id}"]`);
    await row.locator('[data-signature="unsigned"]').waitFor();
    // the one wording (core/domain/words): the list's badge says the catalog's short form, as `postfach list` its long one
    await expect.poll(() => row.locator('[data-signature]').innerText()).toBe(wordsOf('de').signatureStatusShort.unsigned);
    expect(await row.innerText()).toContain('nicht signiert');
    expect(await row.innerText()).toContain(forgedApplicant.split(' ')[0]);
    await openMessage(ids.unsigned);
    const banner = page.getByTestId('unsigned-banner');
    await banner.waitFor();
    // word for word the banner of the CLI's show, the PDF and the receipt (core/domain/words)
    await expect.poll(() => banner.innerText()).toBe(wordsOf('de').unsignedBanner);
    // the header's badge: the catalog's long form
    await expect.poll(() => page.getByTestId('message-view').locator('[data-signature]').first().innerText()).toBe(wordsOf('de').signatureStatus.unsigned);
    // no signer is named: nothing signed what is shown
    expect(await page.getByTestId('signature-signer').count()).toBe(0);
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const parts = page.getByTestId('laufzettel-parts');
    await parts.waitFor();
    expect(await parts.locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-role')}:${li.getAttribute('data-coverage')}`))).toEqual([
      'application:unsigned',
    ]);
    expect(await parts.innerText()).toContain('Antrag: Antrag (XML) — nicht signiert');
    // no sender's signature card: the only signature is the intermediary's, about its transport message
    expect(await page.getByTestId('laufzettel').getByRole('group', { name: 'Inhaltsdaten (Signatur des Absenders)' }).count()).toBe(0);
    await saveScreenshot(page, 'ui-coverage-unsigned');
    await expectAxeClean(page, 'Antrag nicht signiert');
    ui.assertClean();
  }, 120_000);

  it('a forged container in front of the signed one: the genuine application, the forged part flagged per item', async () => {
    const { page } = ui;
    const front = (await listedItems(ui)).find((i) => i.messageId === ids.front)!;
    expect(front.signatureStatus).toBe('trusted');
    const frontRow = page.locator(`[data-testid="message-list"] [data-id="${front.id}"]`);
    await expect.poll(() => frontRow.locator('[data-signature]').innerText()).toBe(wordsOf('de').signatureStatusShort.trusted);
    expect(front.applicants).not.toContain(forgedApplicant);
    await openMessage(ids.front);
    await page.getByTestId('extra-parts-banner').waitFor();
    expect(await page.getByTestId('unsigned-banner').count()).toBe(0);
    // the signer named is the one whose signature covers the application
    expect(await page.getByTestId('signature-signer').innerText()).toBe('unterzeichnet von Sozialplattform (Test)');
    expect(await page.getByTestId('extra-parts-banner').innerText()).toContain('einen weiteren Teil, der nicht zum signierten Antrag gehört');
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const parts = page.getByTestId('laufzettel-parts');
    await parts.waitFor();
    expect(await parts.locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-role')}:${li.getAttribute('data-coverage')}`))).toEqual([
      'application:signed',
      'extra:unsigned',
      'attachment:signed',
    ]);
    const text = await parts.innerText();
    expect(text).toContain('Zusätzlicher Teil (nicht Teil des Antrags): fremdinhalt1 — nicht signiert');
    expect(text).toContain('Anlage: anlage-1.pdf — signiert');
    // the sender's signature says what it covers, and the forged part is not among it
    const author = page.getByTestId('laufzettel').getByRole('group', { name: 'Inhaltsdaten (Signatur des Absenders)' });
    expect(await author.innerText()).toContain('Erfasst: den Antrag, anlage-1.pdf');
    await parts.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-coverage-laufzettel-parts');
    await expectAxeClean(page, 'Laufzettel: Teile der Zustellung');
    // the document tiles carry the same status
    await page.getByRole('tab', { name: /^Dokumente/ }).click();
    const tile = page.getByTestId('documents-list').getByRole('option', { name: /fremdinhalt1/ });
    expect(await tile.locator('[data-coverage]').getAttribute('data-coverage')).toBe('unsigned');
    expect(await tile.innerText()).toContain('nicht signiert');
    await saveScreenshot(page, 'ui-coverage-documents');
    await expectAxeClean(page, 'Dokumente mit Abdeckung');
    ui.assertClean();
  }, 120_000);

  it('one signed and one extra unsigned Content in the same container: the extra one "nicht von der Signatur erfasst"', async () => {
    const { page } = ui;
    const item = (await listedItems(ui)).find((i) => i.messageId === ids.uncovered)!;
    expect(item.signatureStatus).toBe('trusted');
    expect(item.applicants).not.toContain(forgedApplicant);
    await openMessage(ids.uncovered);
    await page.getByTestId('extra-parts-banner').waitFor();
    await page.getByRole('tab', { name: 'Laufzettel' }).click();
    const parts = page.getByTestId('laufzettel-parts');
    await parts.waitFor();
    expect(await parts.locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-role')}:${li.getAttribute('data-coverage')}`))).toEqual([
      'application:signed',
      'extra:not-covered',
      'attachment:signed',
    ]);
    expect(await parts.innerText()).toContain('Zusätzlicher Teil (nicht Teil des Antrags): content9 — nicht von der Signatur erfasst');
    await parts.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-coverage-uncovered-content');
    await expectAxeClean(page, 'Laufzettel: nicht erfasster Inhalt');
    ui.assertClean();
  }, 120_000);
});
