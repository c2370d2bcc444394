/**
 * One wording of the evidence for every place that shows it (issue 11): the signature status, the "NICHT SIGNIERT"
 * banner, the revocation and the signature results are said by the renderer, the command line and the PDF from the
 * one words module per language (core/domain/words) — none of them keeps a copy. Two checks:
 * - every code said through the catalog gives one sentence per language, the same a caller in any part gets
 *   (the catalog is the only source: `wordsOf` for the renderer's hook, the CLI and the PDF);
 * - no product file outside core/domain/words holds one of these sentences as a literal (the renderer's own
 *   "Signatur gültig, Zertifikat vertrauenswürdig" and its differently worded banner were such copies).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_TRUSTS, REVOCATIONS, SIGNATURE_RESULTS, SIGNATURE_STATUSES } from '../../core/domain/evidence.js';
import { WORDS, wordsOf } from '../../core/domain/words/index.js';
import { UNSIGNED_BANNER } from '../../core/export/receipt.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCT = ['renderer/src', 'cli', 'core', 'electron', 'app'];
const CATALOG = path.join('core', 'domain', 'words');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

/** The sentences that must exist once: long enough to be a wording, not a word ("ungültig" is also a field value). */
function sentences(): string[] {
  const all = new Set<string>();
  for (const w of Object.values(WORDS)) {
    for (const s of SIGNATURE_STATUSES) all.add(w.signatureStatus[s]);
    all.add(w.signatureStatusNone);
    all.add(w.unsignedBanner);
    for (const r of SIGNATURE_RESULTS) all.add(w.signatureResult[r]);
    for (const c of CERTIFICATE_TRUSTS) all.add(w.certificateTrust[c]);
    for (const r of REVOCATIONS) all.add(w.revocation[r]);
  }
  return [...all].filter((s) => s.length >= 16);
}

describe('one wording of the signature evidence', () => {
  it('says every signature status code in one sentence per language, long and short, in both languages apart', () => {
    for (const status of SIGNATURE_STATUSES) {
      for (const language of ['de', 'en'] as const) {
        const w = wordsOf(language);
        expect(w.signatureStatus[status], `${language} ${status}`).toMatch(/\S/);
        expect(w.signatureStatusShort[status], `${language} ${status}`).toMatch(/\S/);
        // the short form says no more than the long one: each of its words is in the long sentence
        for (const word of w.signatureStatusShort[status].split(/[ ,]+/)) expect(w.signatureStatus[status].toLowerCase()).toContain(word.toLowerCase());
      }
      expect(WORDS.de.signatureStatus[status]).not.toBe(WORDS.en.signatureStatus[status]);
    }
    // the PDF's banner is the catalog's
    expect(UNSIGNED_BANNER).toBe(WORDS.de.unsignedBanner);
  });

  it('no product file outside core/domain/words keeps a copy of these sentences', () => {
    const found: string[] = [];
    const wanted = sentences();
    expect(wanted.length).toBeGreaterThan(20);
    for (const file of PRODUCT.flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(CATALOG)) continue;
      // code, not comments (a comment may name a wording: "says \"NICHT SIGNIERT\" prominently")
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
        .join('\n');
      for (const s of wanted) if (text.includes(`'${s}`) || text.includes(`"${s}`) || text.includes(`\`${s}`)) found.push(`${relative}: ${s}`);
      // the banner's start in any wording ("NICHT SIGNIERT – …"), a copy however it goes on
      if (/['"`]NICHT SIGNIERT\b|['"`]NOT SIGNED\b/.test(text)) found.push(`${relative}: NICHT SIGNIERT`);
    }
    expect(found).toEqual([]);
  });
});
