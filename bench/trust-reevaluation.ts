/**
 * What a change of the trusted sender CAs costs: every stored message with an author signature is judged again
 * (core/mailbox/trust-reevaluation.ts, run by the store in the change's transaction). A store of N messages, each
 * with the signature result the fetch engine keeps (one author check with its signer certificate as evidence, signed
 * by the test PKI's sender key), then: trusting the CA (all N change), removing it (all N change back), and opening
 * with an unchanged set (nothing to do).
 *
 *   npx tsx bench/trust-reevaluation.ts [--count N] [--content-kb K] [--json]     (default 10,000 messages of 100 KB)
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SignatureCheckFacts } from '../core/domain/evidence.js';
import { certificateFacts } from '../core/mailbox/certificates.js';
import { signaturesJson } from '../core/mailbox/message-dto.js';
import { evaluationFor, reevaluateIfChanged, trustedCaList } from '../core/mailbox/trusted-cas.js';
import { createTestPki, testPkiFiles } from '../core/pki/test-pki.js';
import { PostfachStore } from '../core/store/index.js';

const args = process.argv.slice(2);
const countArg = args.indexOf('--count');
const count = countArg >= 0 ? Number(args[countArg + 1]) : 10_000;
const json = args.includes('--json');
const contentArg = args.indexOf('--content-kb');
/** Size of each stored content (kept inside the database up to 256 KiB, as the fetch engine keeps small ones). */
const contentKb = contentArg >= 0 ? Number(args[contentArg + 1]) : 100;

const dir = mkdtempSync(path.join(os.tmpdir(), 'postfach-bench-trust-'));
try {
  await createTestPki(path.join(dir, 'pki'));
  const files = testPkiFiles(path.join(dir, 'pki'));
  const ca = new X509Certificate(readFileSync(files.ca));
  const sender = new X509Certificate(readFileSync(files.sender.cer));
  const { store } = await PostfachStore.create(path.join(dir, 'postfach.db'), { password: 'Bench-Passwort-2026', durableCommits: false, osUser: 'bench' });
  try {
    const fillStart = performance.now();
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.now() - (i % 300) * 86_400_000);
      const check: SignatureCheckFacts = {
        role: 'author',
        container: 'Inhaltsdaten',
        result: 'valid',
        certificate: 'unknown-issuer',
        signer: certificateFacts(sender, { at }),
        algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        checkedAt: at.toISOString(),
        revocation: 'not-checked',
        reasons: [],
        technical: 'bench',
      };
      await store.saveDelivery({
        messageId: `bench-${i}`,
        content: Buffer.concat([Buffer.from(`<antrag nr="${i}">`), Buffer.alloc(contentKb * 1024 - 40, 0x41), Buffer.from('</antrag>')]),
        contentType: 'application/xml',
        senderCertificate: sender.raw,
        processCard: { creation: at },
        signatureResult: signaturesJson([check], { signers: [sender.raw.toString('base64')], intermediates: [] }),
        summary: { signatureStatus: 'unknown-issuer' },
      });
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const evaluation = () => evaluationFor(store.trustedCas(), undefined, []);
    const t0 = performance.now();
    const [added] = store.addTrustedCas([ca.raw], 'import');
    const addedCount = await store.reevaluateTrust(evaluation(), 'ca-added');
    const t1 = performance.now();
    store.removeTrustedCa(added as string);
    const removedCount = await store.reevaluateTrust(evaluation(), 'ca-removed');
    const t2 = performance.now();
    const unchanged = await reevaluateIfChanged(store, trustedCaList(store.trustedCas(), undefined), []);
    const t3 = performance.now();
    const figures = {
      count,
      contentKb,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      addMs: Math.round(t1 - t0),
      addChanged: addedCount.changed,
      removeMs: Math.round(t2 - t1),
      removeChanged: removedCount.changed,
      unchangedOpenMs: Math.round(t3 - t2),
      unchangedOpenJudged: unchanged === undefined ? 0 : unchanged.checked,
      perMessageUs: Math.round(((t1 - t0) * 1000) / count),
    };
    if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      process.stdout.write(
        `Vertrauensstatus neu bewerten, ${count.toLocaleString('de-DE')} gespeicherte Nachrichten zu ${contentKb} KB (Füllen: ${figures.fillSeconds} s):\n` +
          `  CA hinzufügen:  ${figures.addMs} ms (${figures.addChanged} geändert, ${figures.perMessageUs} µs je Nachricht)\n` +
          `  CA entfernen:   ${figures.removeMs} ms (${figures.removeChanged} geändert)\n` +
          `  Öffnen ohne Änderung der CAs: ${figures.unchangedOpenMs} ms (${figures.unchangedOpenJudged} bewertet)\n`,
      );
    }
  } finally {
    store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
