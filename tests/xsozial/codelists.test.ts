/**
 * Code lists from Genericode files: a file as XRepository publishes it is read (key and text column found, every
 * row kept), a broken or hostile one is refused whole with a German sentence; the version a message names wins,
 * a message naming none gets the newest version with a note, a named version that is not loaded shows the code
 * with list and version — never a text from another version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeListRegistry, bundledCodeLists, importedCodeList } from '../../core/xsozial/codelists.js';
import { parseGenericode } from '../../core/xsozial/genericode.js';
import { readDelivery } from '../../core/xsozial/index.js';

const fixture = (name: string) => readFileSync(path.resolve('tests/fixtures/codelists', name));
const LEISTUNGSART = 'urn:beispiel:xsozial:codeliste:leistungsart';

async function registry(...files: string[]): Promise<CodeListRegistry> {
  const lists = await Promise.all(files.map(async (f) => importedCodeList(await parseGenericode(fixture(f)), f)));
  return new CodeListRegistry(lists);
}

const message = (attrs: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0"><xsb:xsozial><xsb:vorgang>` +
      `<xsb:person><xsb:personID>P1</xsb:personID><xsb:antragsteller>true</xsb:antragsteller><xsb:allgemein><xsb:nameNatuerlichePerson><xsb:familienname><xsb:name>Yılmaz</xsb:name></xsb:familienname><xsb:vorname><xsb:name>Elif</xsb:name></xsb:vorname></xsb:nameNatuerlichePerson></xsb:allgemein>` +
      `<xsb:beantragteLeistung><xsb:beantragteLeistungID>L1</xsb:beantragteLeistungID><xsb:leistungArt${attrs}><code>6070</code></xsb:leistungArt></xsb:beantragteLeistung></xsb:person>` +
      `</xsb:vorgang></xsb:xsozial></xsb:vorgang.transportieren.1000001>`,
  );

async function leistungArt(attrs: string, lists: CodeListRegistry) {
  const view = await readDelivery(message(attrs), { codeLists: lists });
  const person = view.cards.find((c) => c.id === 'antragsteller-1')!;
  return person.sections.find((s) => s.role === 'summary')!.fields.find((f) => f.label.de === 'Beantragt')!.value;
}

describe('Genericode files', () => {
  it('reads a list as XRepository publishes it: identification, key column, text column, every row', async () => {
    const list = await parseGenericode(fixture('leistungsart_1.xml'));
    expect(list).toMatchObject({
      listURI: LEISTUNGSART,
      listVersionID: '1',
      canonicalVersionUri: `${LEISTUNGSART}_1`,
      name: 'Leistungsart (Testliste)',
      keyColumn: 'code',
      textColumn: 'beschreibung',
    });
    expect(list.codes).toEqual({ '6010': 'Ausflüge (Testtext)', '6070': 'Mittagsverpflegung', '6080': 'Lernförderung (Testtext)' });
  });

  it.each([
    ['broken-no-version-uri.xml', /CanonicalVersionUri/],
    ['broken-duplicate-code.xml', /appears twice/],
    ['broken-not-genericode.xml', /root element/],
    ['broken-doctype.xml', /hostile-xml/],
    ['broken-truncated.xml', /xml-malformed/],
  ])('refuses %s with a German sentence and a technical detail', async (file, detail) => {
    const error = await parseGenericode(fixture(file)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'codelist-invalid', text: { de: expect.stringContaining('keine gültige Codeliste') } });
    expect((error as { detail: string }).detail).toMatch(detail);
  });

  it('refuses a file deeper than the reader allows', async () => {
    const deep = `<?xml version="1.0"?><gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</gc:CodeList>`;
    await expect(parseGenericode(Buffer.from(deep))).rejects.toMatchObject({ kind: 'codelist-invalid', detail: expect.stringContaining('xml-limit') });
  });
});

describe('code texts by list and version', () => {
  it('the version the message names wins', async () => {
    const lists = await registry('leistungsart_1.xml', 'leistungsart_2.xml');
    expect((await leistungArt(` listURI="${LEISTUNGSART}" listVersionID="1"`, lists)).display).toBe('Mittagsverpflegung (6070)');
    expect((await leistungArt(` listURI="${LEISTUNGSART}" listVersionID="2"`, lists)).display).toBe('Gemeinschaftliche Mittagsverpflegung (6070)');
  });

  it('a message naming no version gets the newest loaded, with a note saying so', async () => {
    const value = await leistungArt(` listURI="${LEISTUNGSART}"`, await registry('leistungsart_1.xml', 'leistungsart_2.xml'));
    expect(value.display).toBe('Gemeinschaftliche Mittagsverpflegung (6070)');
    expect(value.note?.de).toBe('Die Nachricht nennt keine Version der Codeliste; Text aus Version 2.');
  });

  it('a named version that is not loaded shows code, list and version — not the text of another version', async () => {
    const value = await leistungArt(` listURI="${LEISTUNGSART}" listVersionID="3"`, await registry('leistungsart_1.xml', 'leistungsart_2.xml'));
    expect(value.display).toBe(`Code 6070 (Liste ${LEISTUNGSART}, Version 3)`);
    expect(value.code).toEqual({ code: '6070', listURI: LEISTUNGSART, listVersionID: '3' });
    // and without any list loaded
    expect((await leistungArt(` listURI="${LEISTUNGSART}" listVersionID="1"`, new CodeListRegistry())).display).toBe(`Code 6070 (Liste ${LEISTUNGSART}, Version 1)`);
  });

  it('a code that is a property name of plain objects is no text', async () => {
    const lists = await registry('leistungsart_1.xml');
    expect(lists.resolve('constructor', LEISTUNGSART, '1', []).text).toBeUndefined();
    expect(lists.resolve('__proto__', LEISTUNGSART, '1', []).text).toBeUndefined();
  });

  it('every shipped list names its public source and version', () => {
    for (const list of bundledCodeLists()) {
      expect(list.source.length).toBeGreaterThan(20);
      if (list.listURI !== '') expect(list.listVersionID).not.toBe('');
    }
  });
});
