/**
 * A Bildung-und-Teilhabe application shaped like the real XSozial-basis 2.4.0 deliveries of the Sozialplattform
 * (shared/xsozial/STRUCTURE.md): two children as applicants (antragsteller=true) with the benefit they ask for
 * (leistungArt) and their school, a parent as third party (dritte, Art der Beteiligung "Elternteil") with an
 * anschriftInland whose house number stands in teilnummerDerHausnummer ("1b", as in the real sample), contact
 * (kommunikation: e-mail, phone) and the citizen-account mailbox, and one PDF (the platform's Antrag.pdf).
 *
 * Invented people and data. Names and the street are written DECOMPOSED (u + U+0308, O + U+0308) as some senders
 * do, so the tests can check that everything copied goes out in NFC. The code lists the message names are the
 * test lists of tests/fixtures/codelists (urn:beispiel:…); Personentyp names a version no list is loaded for.
 */
import { Buffer } from 'node:buffer';
import { evidenceChunks } from '../../intermediary/generator/index.js';

export const BUT_LISTS = {
  leistungsart: 'urn:beispiel:xsozial:codeliste:leistungsart',
  beteiligung: 'urn:beispiel:xsozial:codeliste:beteiligung',
  ausbildungsart: 'urn:beispiel:xsozial:codeliste:ausbildungsart',
} as const;

/** "Müller" with u + combining diaeresis, "Ölmühlenweg" with both umlauts decomposed. */
export const FAMILY_NFD = 'Mu\u0308ller';
export const STREET_NFD = 'O\u0308lmu\u0308hlenweg';

export interface ButFixture {
  readonly xml: Buffer;
  readonly pdf: Buffer;
  readonly children: ReadonlyArray<{ readonly given: string; readonly birth: string }>;
}

export function butApplication(options: { messageId?: string; test?: boolean } = {}): ButFixture {
  const pdf = Buffer.concat([
    ...evidenceChunks({ seed: 'but-antrag', index: 1, size: 40_000, kind: 'pdf', title: 'Antrag auf Leistungen für Bildung und Teilhabe', lines: ['Sozialplattform (Testdaten)'] }),
  ]);
  const messageId = options.messageId ?? '3b0c6d1e-8f2a-4c55-9d0e-1a2b3c4d5e6f';
  const children = [
    { id: 'P1', given: 'Mia', birth: '2016-03-14', school: 'Grundschule am Park' },
    { id: 'P2', given: 'Ben', birth: '2018-09-02', school: 'Grundschule am Park' },
  ];
  const child = (c: (typeof children)[number], i: number) => `
      <xsb:person>
        <xsb:personID>${c.id}</xsb:personID>
        <xsb:typ listURI="urn:xoev-de:d-nrw:codeliste:personentyp" listVersionID="2"><code>1010</code></xsb:typ>
        <xsb:antragsteller>true</xsb:antragsteller>
        <xsb:schriftgutempfaenger>false</xsb:schriftgutempfaenger>
        <xsb:allgemein>
          <xsb:nameNatuerlichePerson>
            <xsb:titel/>
            <xsb:familienname><xsb:name>${FAMILY_NFD}</xsb:name></xsb:familienname>
            <xsb:vorname><xsb:name>${c.given}</xsb:name></xsb:vorname>
          </xsb:nameNatuerlichePerson>
          <xsb:geburt><xsb:datum>${c.birth}+01:00</xsb:datum></xsb:geburt>
          <xsb:geschlecht><xsb:geschlecht listURI="urn:xoev-de:xinneres:codeliste:geschlecht" listVersionID="1"><code>${i === 0 ? 'w' : 'm'}</code></xsb:geschlecht></xsb:geschlecht>
          <xsb:staatsangehoerigkeit><xsb:staatsangehoerigkeit><code>000</code></xsb:staatsangehoerigkeit></xsb:staatsangehoerigkeit>
        </xsb:allgemein>
        <xsb:beantragteLeistung>
          <xsb:beantragteLeistungID>6070-Mittagsverpflegung-${c.id}</xsb:beantragteLeistungID>
          <xsb:leistungArt listURI="${BUT_LISTS.leistungsart}" listVersionID="1"><code>6070</code></xsb:leistungArt>
        </xsb:beantragteLeistung>
        <xsb:ausbildung>
          <xsb:ausbildungID>A-${c.id}</xsb:ausbildungID>
          <xsb:ausbildungsart listURI="${BUT_LISTS.ausbildungsart}" listVersionID="1"><code>1410</code></xsb:ausbildungsart>
          <xsb:einrichtung>${c.school}</xsb:einrichtung>
        </xsb:ausbildung>
      </xsb:person>`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<xsb:vorgang.transportieren.1000001 xmlns:xsb="https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0" produkt="Leistungen für Bildung und Teilhabe" produkthersteller="Sozialplattform (Testdaten)" produktversion="2.4.0" standard="XSozial-basis" version="2.4.0"${options.test ? ' test="true"' : ''}>
  <nachrichtenkopf.g2g>
    <identifikation.nachricht>
      <nachrichtenUUID>${messageId}</nachrichtenUUID>
      <nachrichtentyp listURI="urn:xoev-de:d-nrw:codeliste:nachrichtentyp" listVersionID="1"><code>1000001</code></nachrichtentyp>
      <erstellungszeitpunkt>2025-11-20T10:42:17.123+01:00</erstellungszeitpunkt>
    </identifikation.nachricht>
    <leser>
      <verzeichnisdienst listURI="urn:xoev-de:kosit:codeliste:verzeichnisdienst" listVersionID="2"><code>DVDV</code></verzeichnisdienst>
      <kennung>sozialamt:000000000042</kennung>
      <name>Sozialamt Beispielstadt</name>
    </leser>
    <autor>
      <verzeichnisdienst listURI="urn:xoev-de:kosit:codeliste:verzeichnisdienst" listVersionID="2"><code>DVDV</code></verzeichnisdienst>
      <kennung>sop:000000000000</kennung>
      <name>Sozialplattform</name>
    </autor>
    <dvdvDienstkennung> https://dvdv.example.invalid/sozialplattform.wsdl </dvdvDienstkennung>
  </nachrichtenkopf.g2g>
  <xsb:xsozial>
    <xsb:identifikationVorgang><xsb:vorgangsID>9d8c7b6a-5f4e-4d3c-8b2a-19f0e8d7c6b5</xsb:vorgangsID></xsb:identifikationVorgang>
    <xsb:vorgang>
      <xsb:vorgangsTyp listURI="urn:xoev-de:d-nrw:codeliste:vorgangscodes" listVersionID="10"><code>BUT</code></xsb:vorgangsTyp>
      <xsb:antragsDatum>2025-11-20+01:00</xsb:antragsDatum>${children.map(child).join('')}
      <xsb:dritte>
        <xsb:dritteID>D1</xsb:dritteID>
        <xsb:dritteTyp listURI="${BUT_LISTS.beteiligung}" listVersionID="1"><code>1030</code></xsb:dritteTyp>
        <xsb:drittePerson>
          <xsb:natuerlichePerson>
            <xsb:allgemein>
              <xsb:nameNatuerlichePerson>
                <xsb:titel/>
                <xsb:familienname><xsb:name>${FAMILY_NFD}</xsb:name></xsb:familienname>
                <xsb:vorname><xsb:name>Şükran</xsb:name></xsb:vorname>
              </xsb:nameNatuerlichePerson>
              <xsb:geburt><xsb:datum>1987-06-30+02:00</xsb:datum></xsb:geburt>
            </xsb:allgemein>
            <xsb:anschrift>
              <xsb:anschriftInland>
                <gebaeude>
                  <postleitzahl>12345</postleitzahl>
                  <strasse>${STREET_NFD}</strasse>
                  <teilnummerDerHausnummer>1b</teilnummerDerHausnummer>
                  <wohnort>Beispielstadt</wohnort>
                  <zusatzangaben>bei Nowak</zusatzangaben>
                </gebaeude>
              </xsb:anschriftInland>
            </xsb:anschrift>
            <xsb:kommunikation>
              <xsb:kanal listURI="urn:de:xoev:codeliste:erreichbarkeit" listVersionID="3"><code>01</code></xsb:kanal>
              <xsb:kennung>s.mueller@example.org</xsb:kennung>
            </xsb:kommunikation>
            <xsb:kommunikation>
              <xsb:kanal listURI="urn:de:xoev:codeliste:erreichbarkeit" listVersionID="3"><code>03</code></xsb:kanal>
              <xsb:kennung>0151 23456789</xsb:kennung>
            </xsb:kommunikation>
          </xsb:natuerlichePerson>
        </xsb:drittePerson>
        <xsb:schriftgutempfaenger>true</xsb:schriftgutempfaenger>
        <xsb:postfach>
          <xsb:postfachID>urn:uuid:0f1e2d3c-4b5a-4697-8877-665544332211</xsb:postfachID>
          <xsb:postfachTyp><code>20</code></xsb:postfachTyp>
          <xsb:provider>Nutzerkonto (Testdaten)</xsb:provider>
        </xsb:postfach>
      </xsb:dritte>
    </xsb:vorgang>
    <xsb:dokument>
      <xsb:dokumentID>DOK-1</xsb:dokumentID>
      <xsb:name>Antrag</xsb:name>
      <xsb:dokumentRepraesentation>
        <xsb:dokumentRepraesentationID>DOK-1-R1</xsb:dokumentRepraesentationID>
        <xsb:mimeType>application/pdf</xsb:mimeType>
        <xsb:inhalt>${pdf.toString('base64')}</xsb:inhalt>
        <xsb:dateiname>Antrag.pdf</xsb:dateiname>
        <xsb:inhaltTyp/>
      </xsb:dokumentRepraesentation>
      <xsb:dokumentTyp><code>1010</code></xsb:dokumentTyp>
    </xsb:dokument>
  </xsb:xsozial>
</xsb:vorgang.transportieren.1000001>
`;
  return { xml: Buffer.from(xml, 'utf8'), pdf, children: children.map((c) => ({ given: c.given, birth: c.birth })) };
}
