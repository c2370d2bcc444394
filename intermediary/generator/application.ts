/**
 * Synthetic XSozial-basis 2.4.0 applications shaped like the Sozialplattform's (../shared/xsozial/STRUCTURE.md),
 * with the platform's application PDF and evidence files inline as xsb:dokument. The XML is produced as a stream
 * of chunks (base64 written piece by piece), so a 50 MB application never sits in memory; the same seed gives the
 * same bytes every time, so the stream can be produced again instead of being kept.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fullName, renderApplicationPdf } from './application-pdf.js';
import { EVIDENCE_EXTENSION, EVIDENCE_MIME, evidencePlan, type EvidenceKind } from './evidence.js';
import { makeHousehold, type Household, type HouseholdKind, type Person, type Service, type ThirdParty } from './household.js';
import { Rng } from './random.js';

export type { Service, HouseholdKind } from './household.js';

export const XSOZIAL_NS = 'https://portalverbund.d-nrw.de/efa/XSozial-basis/Version_2_4_0';

export const SERVICES: Record<Service, { readonly product: string; readonly code: string }> = {
  hzl: { product: 'Hilfe zum Lebensunterhalt (SGB XII)', code: 'TEST-HZL' },
  grusi: { product: 'Grundsicherung im Alter und bei Erwerbsminderung (SGB XII)', code: 'TEST-GRUSI' },
  but: { product: 'Leistungen für Bildung und Teilhabe', code: 'TEST-BUT' },
  asylblg: { product: 'Leistungen nach dem Asylbewerberleistungsgesetz', code: 'TEST-ASYLBLG' },
  wbs: { product: 'Wohnberechtigungsschein', code: 'TEST-WBS' },
};

export interface GenerateOptions {
  readonly service: Service;
  readonly seed: string | number;
  /** Evidence documents inline in the XML (default: 3 of about 60 KB). */
  readonly evidence?: { readonly count: number; readonly size: number };
  /** Mark as Testantrag (root @test="true"). */
  readonly test?: boolean;
  /** Force a household shape (default: chosen by the seed among those that fit the service). */
  readonly household?: HouseholdKind;
  /**
   * The moment the application is sent (default {@link DEFAULT_SENT_AT}, a fixed moment, so that a seed alone gives
   * the same bytes). Every date in the application lies before it: the message's erstellungszeitpunkt 20 seconds to
   * 3 hours earlier, the antragsDatum on that day (Europe/Berlin), evidence, income and earlier benefits before that.
   * The same seed and the same moment give the same bytes; names, IBANs and ids depend on the seed alone.
   */
  readonly sentAt?: Date;
}

/** The default moment of sending: fixed, so that generating a seed twice gives the same bytes. */
export const DEFAULT_SENT_AT = new Date('2026-11-02T09:00:00Z');

export interface GeneratedDocumentInfo {
  readonly id: string;
  readonly name: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly documentType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ApplicationFacts {
  readonly service: Service;
  readonly product: string;
  readonly benefitCode: string;
  readonly test: boolean;
  readonly messageId: string;
  readonly caseId: string;
  readonly createdAt: string;
  readonly applicationDate: string;
  readonly household: Household;
  /** Full names of the applicants, as written in the XML. */
  readonly applicants: readonly string[];
  /** Full names of every person the application is about. */
  readonly persons: readonly string[];
  readonly thirdParties: readonly string[];
  readonly ibans: readonly string[];
}

export interface GeneratedApplication {
  readonly facts: ApplicationFacts;
  readonly documents: readonly GeneratedDocumentInfo[];
  /** Exact size of the XML in bytes. */
  readonly size: number;
  /** The XML in chunks; every call produces the same bytes again. */
  chunks(): Generator<Buffer>;
  readable(): Readable;
  /** The whole XML in memory (for small applications and tests). */
  bytes(): Buffer;
  writeFile(path: string): Promise<{ size: number; sha256: string }>;
  /** Streams the XML into any writable (an HTTP request body, a spool), with backpressure. */
  writeTo(target: NodeJS.WritableStream): Promise<{ size: number; sha256: string }>;
}

type XmlPiece = string | { readonly document: number };

interface DocumentSpec extends GeneratedDocumentInfo {
  chunks(): Iterable<Buffer>;
}

export async function generateApplication(options: GenerateOptions): Promise<GeneratedApplication> {
  const seed = String(options.seed);
  const rng = new Rng(`${options.service}:${seed}`);
  const service = SERVICES[options.service];
  const sentAt = options.sentAt ?? DEFAULT_SENT_AT;
  if (!Number.isFinite(sentAt.getTime())) throw new RangeError('sentAt is not a valid date');
  // the number of draws does not depend on the moment, so names, IBANs and ids stay the same for a seed whatever
  // sentAt is; every date the household carries (births, incomes, earlier benefits) lies in a year before sentAt's,
  // before the antragsDatum even when that falls on 31 December of the year before
  const household = makeHousehold(rng, options.service, berlinTime(sentAt).year, options.household);
  const delayMs = rng.int(20, 3 * 3600) * 1000 + rng.int(0, 999);
  const created = new Date(sentAt.getTime() - delayMs);
  const local = berlinTime(created);
  const applicationDate = local.date;
  const offset = local.offset;
  const createdAt = `${local.date}T${local.time}.${String(created.getUTCMilliseconds()).padStart(3, '0')}${offset}`;
  // the evidence was issued 1 to 60 days before the application
  const evidenceDate = berlinTime(new Date(created.getTime() - rng.int(1, 60) * 86_400_000));
  const standLine = `STAND ${evidenceDate.date.slice(8, 10)}.${evidenceDate.date.slice(5, 7)}.${evidenceDate.date.slice(0, 4)}`;
  const messageId = rng.uuid();
  const caseId = rng.uuid();
  const test = options.test ?? false;

  const pdf = await renderApplicationPdf({ product: service.product, applicationDate, caseId, household, createdAt: created });
  const documents: DocumentSpec[] = [
    { id: 'DOK-1', name: 'Antrag', fileName: 'Antrag.pdf', mimeType: 'application/pdf', documentType: '1010', size: pdf.length, sha256: sha256([pdf]), chunks: () => [pdf] },
  ];
  const evidence = options.evidence ?? { count: 3, size: 60_000 };
  const kinds: EvidenceKind[] = ['pdf', 'jpeg', 'png'];
  const titles = evidenceTitles(options.service);
  const firstKind = rng.int(0, 2);
  const holder = household.persons.find((p) => p.bank) ?? household.persons[0]!;
  for (let i = 0; i < evidence.count; i++) {
    const kind = kinds[(firstKind + i) % 3]!;
    const title = titles[i % titles.length]!;
    const spec = {
      seed: `${options.service}:${seed}`,
      index: i,
      size: evidence.size,
      kind,
      title,
      lines: [fullName(holder), `${household.address.postcode} ${household.address.town}`, standLine],
    };
    const n = i + 2;
    const plan = evidencePlan(spec);
    documents.push({
      id: `DOK-${n}`,
      name: `${title}${evidence.count > titles.length ? ` (${Math.floor(i / titles.length) + 1})` : ''}`,
      fileName: `${slug(title)}-${n}.${EVIDENCE_EXTENSION[kind]}`,
      mimeType: EVIDENCE_MIME[kind],
      documentType: '9999',
      size: plan.size,
      sha256: sha256(plan.chunks()),
      chunks: () => plan.chunks(),
    });
  }

  const pieces = xmlPieces({
    service: options.service,
    product: service.product,
    code: service.code,
    test,
    messageId,
    caseId,
    createdAt,
    applicationDate: `${applicationDate}${offset}`,
    household,
    documents,
  });
  const size = pieces.reduce((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : base64Length(documents[p.document]!.size)), 0);
  function* chunks(): Generator<Buffer> {
    for (const p of pieces) {
      if (typeof p === 'string') yield Buffer.from(p, 'utf8');
      else yield* base64Chunks(documents[p.document]!.chunks());
    }
  }
  const applicants = household.persons.filter((p) => p.applicant).map(fullName);
  const facts: ApplicationFacts = {
    service: options.service,
    product: service.product,
    benefitCode: service.code,
    test,
    messageId,
    caseId,
    createdAt,
    applicationDate: `${applicationDate}${offset}`,
    household,
    applicants,
    persons: household.persons.map(fullName),
    thirdParties: household.thirdParties.map(thirdPartyName),
    ibans: household.persons.flatMap((p) => (p.bank ? [p.bank.iban] : [])),
  };
  return {
    facts,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the chunks method is split off to be dropped, never called
    documents: documents.map(({ chunks: _omit, ...info }) => info),
    size,
    chunks,
    readable: () => Readable.from(chunks()),
    bytes: () => Buffer.concat([...chunks()]),
    writeFile: (path: string) => writeTo(createWriteStream(path)),
    writeTo,
  };
  async function writeTo(target: NodeJS.WritableStream): Promise<{ size: number; sha256: string }> {
    const hash = createHash('sha256');
    let written = 0;
    await pipeline(
      Readable.from(
        (function* counted() {
          for (const c of chunks()) {
            hash.update(c);
            written += c.length;
            yield c;
          }
        })(),
      ),
      target,
    );
    return { size: written, sha256: hash.digest('hex') };
  }
}

function evidenceTitles(service: Service): string[] {
  const common = ['Personalausweis', 'Kontoauszug', 'Mietvertrag', 'Nebenkostenabrechnung'];
  switch (service) {
    case 'but':
      return ['Schulbescheinigung', 'Rechnung Schulbedarf', 'Bescheid Kindergeld', 'Kontoauszug'];
    case 'grusi':
      return ['Rentenbescheid', ...common];
    case 'asylblg':
      return ['Aufenthaltsgestattung', 'Zuweisungsentscheidung', 'Kontoauszug'];
    case 'wbs':
      return ['Einkommensnachweis', 'Personalausweis', 'Meldebescheinigung'];
    case 'hzl':
      return ['Lohnabrechnung', ...common, 'Krankenversicherungskarte'];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// XML

interface XmlFacts {
  readonly service: Service;
  readonly product: string;
  readonly code: string;
  readonly test: boolean;
  readonly messageId: string;
  readonly caseId: string;
  readonly createdAt: string;
  readonly applicationDate: string;
  readonly household: Household;
  readonly documents: readonly GeneratedDocumentInfo[];
}

function xmlPieces(f: XmlFacts): XmlPiece[] {
  const out: XmlPiece[] = [];
  let depth = 0;
  const line = (s: string) => out.push(`${'  '.repeat(depth)}${s}\n`);
  const open = (name: string, attrs = '') => {
    line(`<${name}${attrs}>`);
    depth += 1;
  };
  const close = (name: string) => {
    depth -= 1;
    line(`</${name}>`);
  };
  const leaf = (name: string, value: string) => line(value === '' ? `<${name}/>` : `<${name}>${esc(value)}</${name}>`);
  const code = (name: string, c: { code: string; name?: string }, listAttrs = '') =>
    line(`<${name}${listAttrs}><code>${esc(c.code)}</code>${c.name ? `<name>${esc(c.name)}</name>` : ''}</${name}>`);
  const xcode = (name: string, c: { code: string; name?: string }, listAttrs = '') =>
    line(`<xsb:${name}${listAttrs}><code>${esc(c.code)}</code>${c.name ? `<name>${esc(c.name)}</name>` : ''}</xsb:${name}>`);
  const x = (name: string, value: string) => leaf(`xsb:${name}`, value);
  const address = (a: Household['address']) => {
    open('xsb:anschrift');
    open('xsb:anschriftInland');
    open('gebaeude');
    leaf('postleitzahl', a.postcode);
    leaf('strasse', a.street);
    leaf('hausnummer', a.houseNumber);
    leaf('wohnort', a.town);
    close('gebaeude');
    close('xsb:anschriftInland');
    close('xsb:anschrift');
  };
  const contact = (kanal: string, value: string) => {
    open('xsb:kommunikation');
    xcode('kanal', { code: kanal }, ' listURI="urn:de:xoev:codeliste:erreichbarkeit" listVersionID="3"');
    x('kennung', value);
    close('xsb:kommunikation');
  };
  const naturalName = (p: { title?: string; givenName: string; familyName: string }) => {
    open('xsb:nameNatuerlichePerson');
    x('titel', p.title ?? '');
    line(`<xsb:familienname><xsb:name>${esc(p.familyName)}</xsb:name></xsb:familienname>`);
    line(`<xsb:vorname><xsb:name>${esc(p.givenName)}</xsb:name></xsb:vorname>`);
    close('xsb:nameNatuerlichePerson');
  };
  const h = f.household;

  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  open(
    'xsb:vorgang.transportieren.1000001',
    ` xmlns:xsb="${XSOZIAL_NS}" produkt="${esc(f.product)}" produkthersteller="OSCI-Postfach Generator (synthetische Testdaten)" produktversion="1.0" standard="XSozial-basis" version="2.4.0"${f.test ? ' test="true"' : ''}`,
  );
  open('nachrichtenkopf.g2g');
  open('identifikation.nachricht');
  leaf('nachrichtenUUID', f.messageId);
  code('nachrichtentyp', { code: '1000001' }, ' listURI="urn:xoev-de:d-nrw:codeliste:nachrichtentyp" listVersionID="1"');
  leaf('erstellungszeitpunkt', f.createdAt);
  close('identifikation.nachricht');
  for (const [role, kennung, name] of [
    ['leser', 'sozialamt:000000000001', 'Sozialamt Musterstadt (Übungsmodus)'],
    ['autor', 'sop:000000000000', 'Sozialplattform (Übungsmodus)'],
  ] as const) {
    open(role);
    code('verzeichnisdienst', { code: 'DVDV' }, ' listURI="urn:xoev-de:kosit:codeliste:verzeichnisdienst" listVersionID="2"');
    leaf('kennung', kennung);
    leaf('name', name);
    close(role);
  }
  leaf('dvdvDienstkennung', ' https://dvdv.example.invalid/sozialplattform-uebungsmodus.wsdl ');
  close('nachrichtenkopf.g2g');
  open('xsb:xsozial');
  open('xsb:identifikationVorgang');
  x('vorgangsID', f.caseId);
  close('xsb:identifikationVorgang');
  open('xsb:vorgang');
  xcode('vorgangsTyp', { code: f.code }, ' listURI="urn:xoev-de:d-nrw:codeliste:vorgangscodes" listVersionID="10"');
  x('antragsDatum', f.applicationDate);
  h.persons.forEach((p: Person, index) => {
    open('xsb:person');
    x('personID', p.id);
    xcode('typ', { code: p.relation ? (p.relation.code === '03' ? '03' : '02') : '01' }, ' listURI="urn:xoev-de:d-nrw:codeliste:personentyp"');
    x('antragsteller', String(p.applicant));
    x('schriftgutempfaenger', String(p.receivesMail));
    open('xsb:allgemein');
    naturalName(p);
    open('xsb:geburt');
    x('datum', p.birthDate);
    close('xsb:geburt');
    line(`<xsb:geschlecht><xsb:geschlecht listURI="urn:xoev-de:xinneres:codeliste:geschlecht"><code>${p.sex}</code></xsb:geschlecht></xsb:geschlecht>`);
    line(`<xsb:staatsangehoerigkeit><xsb:staatsangehoerigkeit><code>${p.nationality}</code></xsb:staatsangehoerigkeit></xsb:staatsangehoerigkeit>`);
    close('xsb:allgemein');
    if (p.relation) {
      xcode('beziehungZumAntragsteller', p.relation);
      x('bezugsPersonID', h.persons[0]!.id);
    }
    if (index === 0 || p.applicant) {
      address(h.address);
      if (p.receivesMail) {
        contact('01', h.email);
        contact('02', h.phone);
      }
    }
    open('xsb:beantragteLeistung');
    x('beantragteLeistungID', `L${p.id.slice(1)}`);
    xcode('leistungArt', p.benefit);
    close('xsb:beantragteLeistung');
    if (p.school) {
      open('xsb:ausbildung');
      x('ausbildungID', `A${p.id.slice(1)}`);
      xcode('ausbildungsart', p.school.kind);
      x('einrichtung', p.school.name);
      close('xsb:ausbildung');
    }
    p.income.forEach((inc, i) => {
      open('xsb:einkommen');
      x('einkommenID', `E${p.id.slice(1)}-${i + 1}`);
      xcode('einkommensart', inc.kind);
      x('betrag', inc.amount);
      xcode('zahlungsweise', { code: 'M', name: 'monatlich' });
      x('beginn', inc.since);
      close('xsb:einkommen');
    });
    for (const a of p.assets) {
      open('xsb:vermoegen');
      xcode('vermoegensart', a.kind);
      x('bezeichnung', a.description);
      x('wert', a.value);
      close('xsb:vermoegen');
    }
    if (p.insurance) {
      open('xsb:krankenversicherung');
      xcode('versicherungsart', p.insurance.kind);
      x('versicherung', p.insurance.insurer);
      x('versichertennummer', p.insurance.number);
      close('xsb:krankenversicherung');
    }
    if (p.bank) {
      open('xsb:bankverbindung');
      x('iban', p.bank.iban);
      x('bic', p.bank.bic);
      x('kreditinstitut', p.bank.bank);
      x('kontoinhaber', p.bank.holder);
      if (p.bank.holder === `${p.givenName} ${p.familyName}`) x('kontoinhaberPersonID', p.id);
      close('xsb:bankverbindung');
    }
    for (const e of p.earlierBenefits) {
      open('xsb:fruehereLeistung');
      x('bezeichnung', e.name);
      x('leistungstraeger', e.agency);
      x('zeitraumVon', e.from);
      x('zeitraumBis', e.to);
      close('xsb:fruehereLeistung');
    }
    if (p.applicant && index === 0) {
      open('xsb:postfach');
      x('postfachID', `urn:uuid:${f.caseId.slice(0, 8)}-0000-4000-8000-${f.messageId.slice(-12)}`);
      xcode('postfachTyp', { code: '01', name: 'Nutzerkonto' });
      x('provider', 'Nutzerkonto (Übungsmodus)');
      close('xsb:postfach');
    }
    close('xsb:person');
  });
  if (h.housing) {
    open('xsb:unterkunft');
    x('wohnflaeche', h.housing.area);
    x('anzahlRaeume', h.housing.rooms);
    x('kaltmiete', h.housing.rent);
    x('nebenkosten', h.housing.serviceCharges);
    x('heizkosten', h.housing.heating);
    x('heizungsart', h.housing.heatingType);
    x('vermieterDritteID', h.housing.landlordId);
    close('xsb:unterkunft');
  }
  h.thirdParties.forEach((t: ThirdParty) => {
    open('xsb:dritte');
    x('dritteID', t.id);
    xcode('dritteTyp', t.type);
    open('xsb:drittePerson');
    if (t.organisation) {
      open('xsb:nichtNatuerlichePerson');
      x('name', t.organisation);
      address(t.address);
      if (t.phone) contact('02', t.phone);
      close('xsb:nichtNatuerlichePerson');
    } else if (t.person) {
      open('xsb:natuerlichePerson');
      open('xsb:allgemein');
      naturalName(t.person);
      open('xsb:geburt');
      x('datum', t.person.birthDate);
      close('xsb:geburt');
      close('xsb:allgemein');
      address(t.address);
      if (t.email) contact('01', t.email);
      if (t.phone) contact('02', t.phone);
      close('xsb:natuerlichePerson');
    }
    close('xsb:drittePerson');
    if (t.forPersonId) x('betreutePersonID', t.forPersonId);
    x('schriftgutempfaenger', String(t.receivesMail));
    close('xsb:dritte');
  });
  close('xsb:vorgang');
  f.documents.forEach((d, i) => {
    open('xsb:dokument');
    x('dokumentID', d.id);
    x('name', d.name);
    open('xsb:dokumentRepraesentation');
    x('dokumentRepraesentationID', `${d.id}-R1`);
    x('mimeType', d.mimeType);
    out.push(`${'  '.repeat(depth)}<xsb:inhalt>`, { document: i }, '</xsb:inhalt>\n');
    x('dateiname', d.fileName);
    x('inhaltTyp', '');
    close('xsb:dokumentRepraesentation');
    xcode('dokumentTyp', d.documentType === '1010' ? { code: '1010' } : { code: d.documentType, name: 'Nachweis' });
    close('xsb:dokument');
  });
  close('xsb:xsozial');
  close('xsb:vorgang.transportieren.1000001');
  return out;
}

function thirdPartyName(t: ThirdParty): string {
  return t.organisation ?? `${t.person?.givenName ?? ''} ${t.person?.familyName ?? ''}`.trim();
}

/** Base64 of a byte stream, in chunks (3-byte groups carried across input chunks). */
function* base64Chunks(input: Iterable<Buffer>): Generator<Buffer> {
  let carry = Buffer.alloc(0);
  for (const chunk of input) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = data.length - (data.length % 3);
    if (whole > 0) yield Buffer.from(data.subarray(0, whole).toString('base64'), 'latin1');
    carry = Buffer.from(data.subarray(whole));
  }
  if (carry.length > 0) yield Buffer.from(carry.toString('base64'), 'latin1');
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function sha256(chunks: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(c);
  return hash.digest('hex');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const BERLIN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

/** Wall-clock date, time and UTC offset of a moment in Europe/Berlin (the real offset of that day, from Intl). */
export function berlinTime(moment: Date): { year: number; date: string; time: string; offset: string } {
  const parts = Object.fromEntries(BERLIN.formatToParts(moment).map((p) => [p.type, p.value]));
  const zone = /^GMT([+-]\d{2}:\d{2})?$/.exec(parts['timeZoneName'] ?? '');
  if (!zone) throw new Error(`unexpected time zone name ${parts['timeZoneName'] ?? ''}`);
  return {
    year: Number(parts['year']),
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}`,
    offset: zone[1] ?? '+00:00',
  };
}
