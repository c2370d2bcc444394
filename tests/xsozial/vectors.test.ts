import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDelivery, readDocumentBytes, sectionAsText, summarize } from '../../core/xsozial/index.js';
import { vectorPath } from '../helpers/shared.js';

const antrag1 = readFileSync(vectorPath('content/antrag-1.xml'));
const antrag2 = readFileSync(vectorPath('content/antrag-2.xml'));

describe('reference vectors antrag-1.xml / antrag-2.xml', () => {
  it('reads antrag-1 as an XSozial-basis application', async () => {
    const view = await readDelivery(antrag1);
    expect(view.kind).toBe('xsozial-application');
    expect(view.standard).toBe('XSozial-basis');
    expect(view.version).toBe('2.4.0');
    expect(view.messageType).toBe('1000001');
    expect(view.test).toBe(false);
    expect(view.applicants).toEqual(['Musterfrau, Erika']);
    expect(view.applicantNames).toEqual([{ family: 'Musterfrau', given: 'Erika' }]);
    expect(view.messageId).toBe('6f1c2a9e-4b7d-4e21-9c3a-0d5e8f7a1b01');
    // xs:date with offset: the date as written, never shifted
    expect(view.applicationDate).toMatchObject({ display: '02.05.2024', raw: '2024-05-02+02:00' });
    expect(view.createdAt?.display).toBe('02.05.2024, 10:15:00 Uhr (UTC+02:00)');
    // unknown benefit code: bare code, text from @produkt
    expect(view.benefit).toEqual({ code: '9999', text: 'Hilfe zum Lebensunterhalt (Testvektor)', display: 'Hilfe zum Lebensunterhalt (Testvektor) (9999)' });
    const person = view.cards.find((c) => c.id === 'antragsteller-1');
    expect(person?.title.de).toBe('Antragsteller/in: Musterfrau, Erika');
    const fields = person!.sections.filter((s) => s.role === 'all').flatMap((s) => s.fields);
    const byLabel = (label: string) => fields.find((f) => f.label.de === label)?.value.display;
    expect(byLabel('Geburtsdatum')).toBe('12.08.1964');
    expect(byLabel('Geschlecht')).toBe('weiblich (w)');
    expect(byLabel('Staatsangehörigkeit')).toBe('Deutschland (000)');
    expect(byLabel('Antragsteller/in')).toBe('Ja');
    expect(byLabel('Titel')).toBe('keine Angabe');
    // a code whose list is named but has no texts loaded: the code with its list, never a guess
    expect(byLabel('Personentyp')).toBe('Code 01 (Liste urn:xoev-de:d-nrw:codeliste:personentyp)');
    // the summary: name and birth date first; "Block kopieren": label-tab-value lines, dates and codes as shown
    const summary = person!.sections.find((s) => s.role === 'summary')!;
    const block = sectionAsText(summary).split('\n');
    expect(block).toContain('Familienname\tMusterfrau');
    expect(block).toContain('Geburtsdatum\t12.08.1964');
    const third = view.cards.find((c) => c.id === 'dritte-1')!;
    const thirdAll = third.sections.filter((s) => s.role === 'all').flatMap((s) => s.fields);
    expect(thirdAll.find((f) => f.label.de === 'Straße')?.value.display).toBe('Heidestraße');
    expect(thirdAll.find((f) => f.label.de === 'Empfänger/in der Post')?.value.display).toBe('Nein');
    // the address as one block beside its parts
    const address = third.sections.find((s) => s.role === 'summary')!.fields.find((f) => f.value.kind === 'address');
    expect(address?.value.display).toMatch(/^Heidestraße 17\n\d{5} \S/);
  });

  it('exposes the inline document with type, size and hash, and streams its bytes unchanged', async () => {
    const view = await readDelivery(antrag1);
    expect(view.documents).toHaveLength(1);
    const doc = view.documents[0]!;
    expect(doc).toMatchObject({
      id: 'DOK-1',
      name: 'Antrag (Testdokument)',
      fileName: 'anlage-1.pdf',
      mimeType: 'application/pdf',
      detectedMimeType: 'application/pdf',
      mimeMismatch: false,
      isApplicationForm: true,
    });
    const expected = readFileSync(vectorPath('content/anlage-1.pdf'));
    expect(doc.size).toBe(expected.length);
    const bytes = await readDocumentBytes(antrag1, doc);
    expect(bytes.equals(expected)).toBe(true);
    expect(doc.location.kind).toBe('range');
    // the tree names the document but never holds its base64 text
    expect(JSON.stringify(view)).not.toContain(expected.subarray(0, 30).toString('base64'));
  });

  it('marks antrag-2 unmistakably as Testantrag and resolves its document', async () => {
    const view = await readDelivery(antrag2);
    expect(view.test).toBe(true);
    const overview = view.cards.find((c) => c.id === 'antrag')!.sections[0]!.fields;
    expect(overview[0]!.label.de).toBe('Testantrag');
    expect(overview[0]!.value.display).toContain('TESTANTRAG');
    const bytes = await readDocumentBytes(antrag2, view.documents[0]!);
    expect(bytes.equals(readFileSync(vectorPath('content/anlage-2.pdf')))).toBe(true);
    const summary = await summarize(antrag2);
    expect(summary).toMatchObject({
      kind: 'xsozial-application',
      applicants: ['Erika Musterfrau'],
      test: true,
      applicationDate: '2024-05-03+02:00',
      applicationDateDisplay: '03.05.2024',
    });
    expect(summary.benefit?.code).toBe('9999');
  });
});
