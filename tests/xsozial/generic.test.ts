import { describe, expect, it } from 'vitest';
import { readDelivery } from '../../core/xsozial/index.js';
import type { ByteSource } from '../../core/io/byte-source.js';

describe('messages other than XSozial-basis applications', () => {
  it('shows any XÖV message with humanised labels and a generic card', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<xw:antwort.bescheid.0300002 xmlns:xw="urn:xoev-de:beispiel:standard:xwohnen" standard="XWohnen" version="1.1.0">
  <nachrichtenkopf.g2g><identifikation.nachricht><nachrichtenUUID>11111111-2222-4333-8444-555555555555</nachrichtenUUID><nachrichtentyp><code>0300002</code></nachrichtentyp><erstellungszeitpunkt>2026-01-05T08:00:00+01:00</erstellungszeitpunkt></identifikation.nachricht></nachrichtenkopf.g2g>
  <xw:bescheidDatum>2026-01-04+01:00</xw:bescheidDatum>
  <xw:bewilligtAb>2026-02-01</xw:bewilligtAb>
  <xw:istVorlaeufig>false</xw:istVorlaeufig>
</xw:antwort.bescheid.0300002>`;
    const view = await readDelivery(Buffer.from(xml));
    expect(view.kind).toBe('generic-xoev');
    expect(view.standard).toBe('XWohnen');
    expect(view.messageType).toBe('0300002');
    expect(view.applicants).toEqual([]);
    expect(view.cards[0]!.id).toBe('nachricht');
    const leaves = view.tree.children.filter((c) => c.value);
    expect(leaves.map((l) => [l.label.de, l.value!.display])).toEqual([
      ['Bescheid Datum', '04.01.2026'],
      ['Bewilligt Ab', '01.02.2026'],
      ['Ist Vorläufig', 'Nein'],
    ]);
  });

  it('reads plain XML as generic-xml, whatever the chunking of the source', async () => {
    const xml = Buffer.from('<?xml version="1.0"?>\n<root><straße>Ölmühlenweg 7</straße><name>Łukasiewicz Øvergård</name><leer/></root>');
    const whole = await readDelivery(xml);
    // split into 1-byte chunks: multi-byte characters are cut in the middle
    const tiny: ByteSource = {
      size: xml.length,
      async *stream(range) {
        const start = range?.start ?? 0;
        const end = range?.end ?? xml.length;
        for (let i = start; i < end; i++) yield xml.subarray(i, i + 1);
      },
    };
    const chunked = await readDelivery(tiny);
    expect(chunked).toEqual(whole);
    expect(whole.kind).toBe('generic-xml');
    expect(whole.tree.children.map((c) => c.value?.display)).toEqual(['Ölmühlenweg 7', 'Łukasiewicz Øvergård', 'keine Angabe']);
  });
});
