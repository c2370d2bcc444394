/**
 * readStoreFacts: what a fetch stores of a content (the list's facts and the search text) is what readDelivery
 * reads — the same values from the same XML, the same refusals — while the inline documents' base64 is passed over
 * (neither decoded nor hashed: the message view reads them when the message is opened).
 */
import { describe, expect, it } from 'vitest';
import { parseXmlSource } from '../../core/xsozial/xml-stream.js';
import { readDelivery, readStoreFacts, storeFactsOf } from '../../core/xsozial/index.js';
import { bufferSource } from '../../core/io/byte-source.js';
import { generateApplication, type Service } from '../../intermediary/generator/index.js';

const SERVICES: Service[] = ['hzl', 'grusi', 'but', 'asylblg', 'wbs'];

describe('readStoreFacts', () => {
  it.each(SERVICES)('gives the facts and search text of readDelivery for a generated %s application', async (service) => {
    const app = await generateApplication({ service, seed: `facts-${service}`, evidence: { count: 2, size: 30_000 } });
    const xml = app.bytes();
    const view = await readDelivery(xml);
    const facts = await readStoreFacts(xml);
    expect(facts).toEqual(storeFactsOf(view));
    expect(facts.applicantNames.length).toBeGreaterThan(0);
    expect(facts.searchText.length).toBeGreaterThan(100);
    // the search text holds the case's values, not the documents' base64
    expect(facts.searchText).toContain(view.applicantNames[0]!.family);
    expect(facts.searchText).not.toMatch(/[A-Za-z0-9+/]{200}/);
  });

  it('passes the documents over: nothing of their base64 is decoded or hashed, their range is still found', async () => {
    const xml = Buffer.from(`<a><x>1</x><inhalt>${Buffer.alloc(3000, 7).toString('base64')}</inhalt><inhalt>nicht base64!</inhalt></a>`);
    const read = await parseXmlSource(bufferSource(xml));
    const skipped = await parseXmlSource(bufferSource(xml), { skipBinaryContent: true });
    expect(read.binaries[0]).toMatchObject({ size: 3000 });
    expect(read.binaries[1]!.invalid).toBeDefined();
    expect(skipped.binaries.map((b) => ({ size: b.size, sha256: b.sha256, skipped: b.skipped, invalid: b.invalid }))).toEqual([
      { size: 0, sha256: '', skipped: true, invalid: undefined },
      { size: 0, sha256: '', skipped: true, invalid: undefined },
    ]);
    expect(skipped.binaries[0]!.range).toEqual(read.binaries[0]!.range);
  });

  it('refuses what readDelivery refuses, also after the documents: broken XML, a DOCTYPE, bad UTF-8, a forbidden character', async () => {
    const doc = Buffer.alloc(5000, 1).toString('base64');
    const cases: Buffer[] = [
      Buffer.from(`<a><inhalt>${doc}</inhalt><b>x</c></a>`),
      Buffer.from(`<!DOCTYPE a [<!ENTITY e "x">]><a><inhalt>${doc}</inhalt></a>`),
      Buffer.concat([Buffer.from(`<a><inhalt>${doc}</inhalt><b>`), Buffer.from([0xc3, 0x28]), Buffer.from('</b></a>')]),
      Buffer.from(`<a><inhalt>${doc.slice(0, 100)}\u0001${doc.slice(100)}</inhalt></a>`),
      Buffer.from(`<a><inhalt>${doc}</inhalt>`),
    ];
    for (const xml of cases) {
      const full = await readDelivery(xml).then(
        () => undefined,
        (e: { kind: string }) => e.kind,
      );
      expect(full).toBeDefined();
      await expect(readStoreFacts(xml)).rejects.toMatchObject({ kind: full });
    }
  });
});
