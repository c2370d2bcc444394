/**
 * The platform's own PDF rendering of an application (dokumentTyp 1010, "Antrag.pdf"): several pages with every
 * person, income, asset, housing cost and bank account, followed by declarations. Deterministic for a seed
 * (fixed creation date, so even the file ID repeats). Our own layout; it only imitates the idea of such a form.
 */
import PDFDocument from 'pdfkit';
import { bundledFont } from '../../core/export/pdf/fonts.js';
import type { Household, Person } from './household.js';

export interface ApplicationPdfFacts {
  readonly product: string;
  readonly applicationDate: string;
  readonly caseId: string;
  readonly household: Household;
  readonly createdAt: Date;
}

const DECLARATIONS = [
  'Ich versichere, dass alle Angaben in diesem Antrag vollständig und richtig sind. Mir ist bekannt, dass ich jede Änderung der Verhältnisse, die für die Leistung erheblich ist, unverzüglich mitteilen muss (§ 60 SGB I).',
  'Mir ist bekannt, dass unrichtige oder unvollständige Angaben zur Rückforderung zu Unrecht erbrachter Leistungen führen und als Ordnungswidrigkeit oder Straftat verfolgt werden können.',
  'Ich bin damit einverstanden, dass die zuständige Stelle die für die Entscheidung erforderlichen Auskünfte bei anderen Sozialleistungsträgern einholt, soweit dies gesetzlich zulässig ist.',
  'Die Hinweise zum Datenschutz nach Art. 13 DSGVO habe ich zur Kenntnis genommen. Die Daten werden ausschließlich zur Bearbeitung dieses Antrags verarbeitet.',
  'Nachweise, die diesem Antrag beigefügt sind, wurden als Kopie oder Scan hochgeladen. Originale lege ich auf Verlangen vor.',
];

export async function renderApplicationPdf(facts: ApplicationPdfFacts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    info: {
      Title: `Antrag: ${facts.product}`,
      Author: 'Sozialplattform (synthetische Testdaten)',
      Producer: 'OSCI-Postfach Generator',
      Creator: 'OSCI-Postfach Generator',
      CreationDate: facts.createdAt,
      ModDate: facts.createdAt,
    },
    lang: 'de-DE',
    font: bundledFont('regular') as unknown as string,
    bufferPages: false,
    autoFirstPage: true,
  });
  // pdfkit takes parsed fontkit fonts as font source (its types only name files and buffers)
  doc.registerFont('Regular', bundledFont('regular') as unknown as string);
  doc.registerFont('Bold', bundledFont('bold') as unknown as string);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const h = facts.household;
  const heading = (text: string) => {
    if (doc.y > 700) doc.addPage();
    doc.moveDown(0.6).font('Bold').fontSize(13).fillColor('#1d3557').text(text).moveDown(0.3).fillColor('black');
  };
  const row = (label: string, value: string) => {
    if (doc.y > 760) doc.addPage();
    const y = doc.y;
    doc.font('Regular').fontSize(9.5).fillColor('#555').text(label, 62, y, { width: 170 });
    const labelBottom = doc.y;
    doc.fillColor('black').text(value === '' ? '–' : value, 240, y, { width: 293 });
    doc.y = Math.max(labelBottom, doc.y) + 2;
    doc.x = 62;
  };
  doc.rect(0, 0, 595, 40).fill('#e8eef6').fillColor('#1d3557').font('Bold').fontSize(10).text('Sozialplattform · Antrag (synthetische Testdaten, keine echten Personen)', 62, 15);
  doc.fillColor('black').font('Bold').fontSize(18).text(`Antrag auf ${facts.product}`, 62, 64);
  doc
    .font('Regular')
    .fontSize(10)
    .moveDown(0.3)
    .text(`Antragsdatum: ${germanDate(facts.applicationDate)} · Vorgang ${facts.caseId}`);
  h.persons.forEach((p, i) => {
    heading(`${i + 1}. ${p.applicant ? 'Antragstellende Person' : 'Weitere Person im Haushalt'}: ${fullName(p)}`);
    row('Familienname', p.familyName);
    row('Vorname', p.givenName);
    if (p.title) row('Titel', p.title);
    row('Geburtsdatum', germanDate(p.birthDate));
    row('Geschlecht', { m: 'männlich', w: 'weiblich', d: 'divers' }[p.sex]);
    row('Staatsangehörigkeit (Schlüssel)', p.nationality);
    if (p.relation) row('Beziehung zur antragstellenden Person', p.relation.name);
    if (p.school) row('Schule', `${p.school.name} (${p.school.kind.name})`);
    for (const inc of p.income) row(`Einkommen: ${inc.kind.name}`, `${euro(inc.amount)} monatlich seit ${germanDate(inc.since)}`);
    for (const a of p.assets) row(`Vermögen: ${a.kind.name}`, `${a.description}: ${euro(a.value)}`);
    if (p.insurance) row('Krankenversicherung', `${p.insurance.insurer}, ${p.insurance.kind.name}, Nr. ${p.insurance.number}`);
    for (const e of p.earlierBenefits) row(`Frühere Leistung: ${e.name}`, `${e.agency}, ${germanDate(e.from)} bis ${germanDate(e.to)}`);
    if (p.bank) row('Bankverbindung', `${p.bank.holder}, IBAN ${p.bank.iban.replace(/(.{4})/g, '$1 ').trim()}, ${p.bank.bank}`);
  });
  heading('Anschrift und Kontakt');
  row('Anschrift', `${h.address.street} ${h.address.houseNumber}, ${h.address.postcode} ${h.address.town}`);
  row('E-Mail', h.email);
  row('Telefon', h.phone);
  if (h.housing) {
    heading('Kosten der Unterkunft und Heizung');
    row('Wohnfläche', `${h.housing.area} m², ${h.housing.rooms} Räume`);
    row('Kaltmiete', euro(h.housing.rent));
    row('Nebenkosten', euro(h.housing.serviceCharges));
    row('Heizkosten', `${euro(h.housing.heating)} (${h.housing.heatingType})`);
  }
  for (const t of h.thirdParties) {
    heading(`Weitere Beteiligte: ${t.type.name}`);
    row('Name', t.organisation ?? `${t.person?.givenName ?? ''} ${t.person?.familyName ?? ''}`);
    row('Anschrift', `${t.address.street} ${t.address.houseNumber}, ${t.address.postcode} ${t.address.town}`);
  }
  doc.addPage();
  heading('Erklärungen');
  for (const text of DECLARATIONS) doc.font('Regular').fontSize(10).text(`☐ ${text}`, { align: 'left' }).moveDown(0.5);
  doc.addPage();
  heading('Übermittlung');
  doc
    .font('Regular')
    .fontSize(10)
    .text(
      `Dieser Antrag wurde am ${germanDate(facts.applicationDate)} elektronisch über die Sozialplattform gestellt und ohne Unterschrift übermittelt. Die Anlagen sind als eigene Dokumente beigefügt.`,
    );
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export function fullName(p: Pick<Person, 'title' | 'givenName' | 'familyName'>): string {
  return [p.title, p.givenName, p.familyName].filter((s) => s !== '').join(' ');
}

function germanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

function euro(amount: string): string {
  const [i, f = '00'] = amount.split('.');
  return `${i!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${f.padEnd(2, '0')} €`;
}
