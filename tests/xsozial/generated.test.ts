import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource, openDocument, readDelivery, readDocumentBytes, summarize, type DeliveryView, type Field } from '../../core/xsozial/index.js';
import { generateApplication, type Service } from '../../intermediary/generator/index.js';

const SERVICES: Service[] = ['hzl', 'grusi', 'but', 'asylblg', 'wbs'];
const nfc = (s: string) => s.normalize('NFC');
/** Every value the cards hold once (a person's summary repeats values of its "Alle Angaben"). */
const allFields = (view: DeliveryView): Field[] => view.cards.flatMap((c) => c.sections.filter((s) => s.role !== 'summary').flatMap((s) => s.fields));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'xsozial-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(SERVICES)('generated %s application', (service) => {
  it('reads completely: applicants, household, benefit, third parties, documents', async () => {
    const app = await generateApplication({ service, seed: `view-${service}`, evidence: { count: 3, size: 20_000 } });
    const xml = app.bytes();
    expect(xml.length).toBe(app.size);
    const view = await readDelivery(xml);
    const f = app.facts;
    expect(view.kind).toBe('xsozial-application');
    expect(view.product).toBe(f.product);
    expect(view.benefit).toMatchObject({ code: f.benefitCode, text: f.product });
    // the names in their parts; written "Nachname, Vorname" (the default)
    expect(view.applicantNames.map((n) => nfc(`${n.title ? `${n.title} ` : ''}${n.given} ${n.family}`))).toEqual(f.applicants.map(nfc));
    expect(view.applicants.map(nfc)).toEqual(view.applicantNames.map((n) => nfc([n.family, n.given, n.title].filter(Boolean).join(', '))));
    expect(view.applicationDate?.raw).toBe(f.applicationDate);
    // every person and third party has a block of its own, titled with the name as an office files it
    const titles = view.cards
      .map((c) => c.title.de)
      .map(nfc)
      .join('\n');
    for (const p of f.household.persons) expect(titles).toContain(nfc(`${p.familyName}, ${p.givenName}`));
    for (const t of f.household.thirdParties) expect(titles).toContain(nfc(t.organisation ?? `${t.person!.familyName}, ${t.person!.givenName}`));
    expect(view.cards.filter((c) => c.id.startsWith('haushalt-'))).toHaveLength(f.persons.length - f.applicants.length);
    expect(view.cards.filter((c) => c.id.startsWith('dritte-'))).toHaveLength(f.thirdParties.length);
    // the technical facts come last and closed
    expect(view.cards.at(-1)).toMatchObject({ id: 'antrag', kind: 'technical', collapsed: true });
    // IBANs grouped and valid
    const ibans = allFields(view).filter((x) => x.value.kind === 'iban');
    expect(ibans.map((x) => x.value.raw)).toEqual(f.ibans);
    for (const iban of ibans) {
      expect(iban.value.flag).toBeUndefined();
      expect(iban.value.display).toMatch(/^DE\d{2}( \d{4}){4} \d{2}$/);
    }
    // the account holder once per account: the name as written and its reference to the person are one field
    const holders = allFields(view).filter((x) => x.label.de.endsWith('Kontoinhaber/in'));
    expect(holders.map((x) => x.label.de)).toEqual(f.ibans.map(() => 'Kontoinhaber/in'));
    if (service !== 'but') {
      for (const h of holders) {
        expect(h.value).toMatchObject({ kind: 'reference', raw: 'P1' });
        expect(h.covers).toEqual([h.id.replace(/kontoinhaberPersonID$/, 'kontoinhaber')]);
      }
    }
    // local ids are shown as names
    const refs = allFields(view).filter((x) => x.value.kind === 'reference');
    for (const r of refs) expect(r.value.display).toMatch(/^.+ \((P|D)\d+\)$/);
    if (f.household.housing) expect(refs.some((r) => r.label.de === 'Vermieter/in')).toBe(true);
    // documents: every one, with hashes and detected types matching the generator's files
    expect(view.documents.map((d) => d.id)).toEqual(app.documents.map((d) => d.id));
    for (const d of view.documents) {
      const g = app.documents.find((x) => x.id === d.id)!;
      expect(d).toMatchObject({ name: g.name, fileName: g.fileName, mimeType: g.mimeType, detectedMimeType: g.mimeType, size: g.size, sha256: g.sha256, mimeMismatch: false });
      expect(d.location.kind).toBe('range');
    }
    expect(view.documents.filter((d) => d.isApplicationForm).map((d) => d.fileName)).toEqual(['Antrag.pdf']);
    const summary = await summarize(xml);
    expect(summary.applicants.map(nfc)).toEqual(f.applicants.map(nfc));
    expect(summary.test).toBe(false);
  });
});

describe('generator', () => {
  it('is deterministic for a seed and varies with it', async () => {
    const a = await generateApplication({ service: 'hzl', seed: 42, evidence: { count: 2, size: 10_000 } });
    const b = await generateApplication({ service: 'hzl', seed: 42, evidence: { count: 2, size: 10_000 } });
    const c = await generateApplication({ service: 'hzl', seed: 43, evidence: { count: 2, size: 10_000 } });
    const hash = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    expect(hash(a.bytes())).toBe(hash(b.bytes()));
    expect(hash(a.bytes())).toBe(hash(a.bytes()));
    expect(hash(c.bytes())).not.toBe(hash(a.bytes()));
  });

  it('dates the application before the moment it is sent: antragsDatum, erstellungszeitpunkt and household dates, with the real Berlin offset', async () => {
    const berlin = (d: Date) => d.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(' ', 'T');
    const moments = [
      '2026-11-29T08:14:00Z', // the audit's case: Eingang 29.11.2026
      '2027-01-01T00:10:00Z', // just after New Year in Berlin: the application may date from the year before
      '2026-03-29T02:30:00Z', // an hour and a half after the switch to summer time
      '2026-10-25T02:00:00Z', // an hour after the switch back to winter time
      '2026-07-01T05:00:00Z',
      '2026-12-10T23:59:59Z',
    ].map((m) => new Date(m));
    const offsets = new Set<string>();
    let n = 0;
    for (const sentAt of moments) {
      for (let seed = 0; seed < 12; seed++, n++) {
        const service = SERVICES[seed % SERVICES.length]!;
        const app = await generateApplication({ service, seed: `datum-${seed}`, sentAt, evidence: { count: 0, size: 0 } });
        const f = app.facts;
        const created = new Date(f.createdAt);
        expect(created.getTime()).toBeLessThanOrEqual(sentAt.getTime());
        expect(sentAt.getTime() - created.getTime()).toBeLessThanOrEqual(3 * 3600_000 + 1000);
        // the written wall-clock time and offset denote the instant as Berlin shows it
        const [, wall, offset] = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{3}([+-]\d{2}:\d{2})$/.exec(f.createdAt)!;
        expect(wall).toBe(berlin(created));
        offsets.add(offset!);
        const applicationDay = f.applicationDate.slice(0, 10);
        expect(f.applicationDate).toBe(`${berlin(created).slice(0, 10)}${offset}`);
        expect(applicationDay <= berlin(sentAt).slice(0, 10)).toBe(true);
        const earlier = f.household.persons.flatMap((p) => [p.birthDate, ...p.income.map((i) => i.since), ...p.earlierBenefits.flatMap((e) => [e.from, e.to])]);
        for (const d of [...earlier, ...f.household.thirdParties.flatMap((t) => (t.person ? [t.person.birthDate] : []))])
          expect(d < applicationDay, `${d} before ${applicationDay}`).toBe(true);
        const view = await readDelivery(app.bytes());
        expect(view.applicationDate?.raw).toBe(f.applicationDate);
      }
    }
    expect(n).toBe(72);
    expect([...offsets].sort()).toEqual(['+01:00', '+02:00']);
  }, 120_000);

  it('gives the same bytes for the same seed and moment; another moment changes the dates only', async () => {
    const sentAt = new Date('2026-11-29T10:00:00Z');
    const hash = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    const a = await generateApplication({ service: 'grusi', seed: 'moment', sentAt, evidence: { count: 3, size: 8_000 } });
    const b = await generateApplication({ service: 'grusi', seed: 'moment', sentAt: new Date(sentAt.getTime()), evidence: { count: 3, size: 8_000 } });
    expect(hash(a.bytes())).toBe(hash(b.bytes()));
    const later = await generateApplication({ service: 'grusi', seed: 'moment', sentAt: new Date('2027-05-04T10:00:00Z'), evidence: { count: 3, size: 8_000 } });
    expect(hash(later.bytes())).not.toBe(hash(a.bytes()));
    expect(later.facts.applicationDate.slice(0, 10)).toBe('2027-05-04');
    expect(later.facts.applicationDate.slice(10)).toBe('+02:00');
    expect(a.facts.applicationDate.slice(10)).toBe('+01:00');
    expect({ persons: later.facts.persons, ibans: later.facts.ibans, caseId: later.facts.caseId, messageId: later.facts.messageId }).toEqual({
      persons: a.facts.persons,
      ibans: a.facts.ibans,
      caseId: a.facts.caseId,
      messageId: a.facts.messageId,
    });
  });

  it('makes every household shape, with DIN 91379 names and a Testantrag flag on request', async () => {
    const kinds = new Set<string>();
    let combining = false;
    let beyondLatin1 = false;
    for (let seed = 0; seed < 24; seed++) {
      const app = await generateApplication({ service: 'hzl', seed, evidence: { count: 0, size: 0 } });
      kinds.add(app.facts.household.kind);
      const names = app.facts.persons.join(' ');
      if (/\u0308/.test(names)) combining = true;
      if (/[^\u0000-\u00ff]/.test(names.normalize('NFC'))) beyondLatin1 = true;
    }
    expect([...kinds].sort()).toEqual(['couple', 'family', 'guardian', 'single']);
    expect(combining).toBe(true);
    expect(beyondLatin1).toBe(true);
    const test = await generateApplication({ service: 'wbs', seed: 1, test: true, evidence: { count: 0, size: 0 } });
    expect((await readDelivery(test.bytes())).test).toBe(true);
  });

  it('streams large evidence from a file source: by byte range, and again by re-reading when the range is unusable', async () => {
    const app = await generateApplication({ service: 'grusi', seed: 'file', evidence: { count: 3, size: 400_000 } });
    const file = path.join(tmp, 'grusi.xml');
    const written = await app.writeFile(file);
    expect(written.size).toBe(app.size);
    const source = await fileSource(file);
    const view = await readDelivery(source);
    for (const d of view.documents) {
      const bytes = await readDocumentBytes(source, d);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
      // same bytes when the location is forgotten and the XML is read again
      const again: Buffer[] = [];
      for await (const chunk of openDocument(source, { ...d, location: { kind: 'reparse' } })) again.push(chunk);
      expect(Buffer.concat(again).equals(bytes)).toBe(true);
    }
  });
});

describe('inline documents written with entities or CDATA', () => {
  it('are decoded by reading the XML again and still match their hash', async () => {
    const payload = Buffer.from('%PDF-1.4\n% small test file\n');
    const b64 = payload.toString('base64');
    const xml = Buffer.from(
      `<?xml version="1.0"?><xsb:x xmlns:xsb="urn:x"><xsb:dokument><xsb:dokumentRepraesentation><xsb:mimeType>application/pdf</xsb:mimeType>` +
        `<xsb:inhalt>${b64.slice(0, 8)}&#x0A;<![CDATA[${b64.slice(8, 16)}]]>${b64.slice(16)}</xsb:inhalt></xsb:dokumentRepraesentation></xsb:dokument>` +
        `<xsb:dokument><xsb:dokumentRepraesentation><xsb:inhalt>not base64!</xsb:inhalt></xsb:dokumentRepraesentation></xsb:dokument></xsb:x>`,
    );
    const view = await readDelivery(xml);
    const [good, bad] = view.documents;
    expect(good!.location.kind).toBe('reparse');
    expect(good!.detectedMimeType).toBe('application/pdf');
    expect((await readDocumentBytes(xml, good!)).equals(payload)).toBe(true);
    expect(bad!.problem?.kind).toBe('document-invalid');
    await expect(readDocumentBytes(xml, bad!)).rejects.toMatchObject({ kind: 'document-missing' });
  });

  it('flags a declared type that the bytes contradict', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const xml = Buffer.from(
      `<a xmlns="urn:x"><dokument><name>Scan</name><dokumentRepraesentation><mimeType>application/pdf</mimeType><inhalt>${png.toString('base64')}</inhalt><dateiname>scan.pdf</dateiname></dokumentRepraesentation></dokument></a>`,
    );
    const [doc] = (await readDelivery(xml)).documents;
    expect(doc).toMatchObject({ name: 'Scan', mimeType: 'application/pdf', detectedMimeType: 'image/png', mimeMismatch: true });
    expect(doc!.problem?.kind).toBe('mime-mismatch');
  });
});

describe('a name written as text beside its reference', () => {
  const xml = (holder: string) =>
    Buffer.from(
      `<?xml version="1.0"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0"><xsb:xsozial><xsb:vorgang>` +
        `<xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:titel>Dr.</xsb:titel>` +
        `<xsb:familienname><xsb:name>Weiß</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Erika</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein>` +
        `<xsb:bankverbindung><xsb:iban>DE02120300000000202051</xsb:iban><xsb:kontoinhaber>${holder}</xsb:kontoinhaber><xsb:kontoinhaberPersonID>P1</xsb:kontoinhaberPersonID></xsb:bankverbindung>` +
        `</xsb:person></xsb:vorgang></xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
    );
  const holderFields = async (holder: string) => allFields(await readDelivery(xml(holder))).filter((x) => x.label.de.endsWith('Kontoinhaber/in'));

  it('is one field when both name the same person (the title may be left out)', async () => {
    for (const holder of ['Erika Weiß', 'Erika  Weiß', 'Dr. Erika Weiß']) {
      const fields = await holderFields(holder);
      expect(fields).toHaveLength(1);
      expect(fields[0]).toMatchObject({ label: { de: 'Kontoinhaber/in' }, value: { kind: 'reference', display: 'Weiß, Erika, Dr. (P1)' } });
      expect(fields[0]!.covers).toHaveLength(1);
    }
  });

  it('stays two fields when the names differ', async () => {
    const fields = await holderFields('Max Mustermann');
    expect(fields.map((x) => [x.label.de, x.value.display])).toEqual([
      ['Bankverbindung › Kontoinhaber/in', 'Max Mustermann'],
      ['Bankverbindung › Kontoinhaber/in', 'Weiß, Erika, Dr. (P1)'],
    ]);
    expect(fields.every((x) => x.covers === undefined)).toBe(true);
  });
});
