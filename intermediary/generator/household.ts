/**
 * Invented people and households for synthetic applications: German names with umlauts, names with characters
 * of DIN 91379 beyond Latin-1 (Ł, Ø, Ş, Đ, ...), one name written with a combining diaeresis (as macOS input
 * produces it), varied households per service, income, assets, housing costs and IBANs with valid check digits
 * at fictitious banks. Nothing here describes a real person.
 */
import type { Rng } from './random.js';

export type Service = 'hzl' | 'grusi' | 'but' | 'asylblg' | 'wbs';
export type HouseholdKind = 'single' | 'couple' | 'family' | 'guardian';

export interface CodeWithName {
  readonly code: string;
  readonly name: string;
}

export interface Address {
  readonly street: string;
  readonly houseNumber: string;
  readonly postcode: string;
  readonly town: string;
}

export interface BankAccount {
  readonly iban: string;
  readonly bic: string;
  readonly bank: string;
  readonly holder: string;
}

export interface Income {
  readonly kind: CodeWithName;
  /** Monthly amount in euros, two decimals, "." as separator (xs:decimal). */
  readonly amount: string;
  readonly since: string;
}

export interface Asset {
  readonly kind: CodeWithName;
  readonly description: string;
  readonly value: string;
}

export interface Person {
  readonly id: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly title: string;
  readonly birthDate: string;
  readonly sex: 'm' | 'w' | 'd';
  /** Destatis key ("000" = deutsch). */
  readonly nationality: string;
  readonly applicant: boolean;
  readonly receivesMail: boolean;
  readonly relation?: CodeWithName;
  readonly income: readonly Income[];
  readonly assets: readonly Asset[];
  readonly insurance?: { readonly kind: CodeWithName; readonly insurer: string; readonly number: string };
  readonly bank?: BankAccount;
  readonly school?: { readonly kind: CodeWithName; readonly name: string };
  readonly benefit: CodeWithName;
  /** Earlier or parallel benefits (Bürgergeld, Wohngeld, pension insurance ...). */
  readonly earlierBenefits: ReadonlyArray<{ readonly name: string; readonly agency: string; readonly from: string; readonly to: string }>;
}

export interface ThirdParty {
  readonly id: string;
  readonly type: CodeWithName;
  readonly organisation?: string;
  readonly person?: { readonly givenName: string; readonly familyName: string; readonly birthDate: string };
  readonly address: Address;
  readonly email?: string;
  readonly phone?: string;
  /** The person this party acts for (guardian, parent). */
  readonly forPersonId?: string;
  readonly receivesMail: boolean;
}

export interface Household {
  readonly kind: HouseholdKind;
  readonly persons: readonly Person[];
  readonly thirdParties: readonly ThirdParty[];
  readonly address: Address;
  readonly email: string;
  readonly phone: string;
  readonly housing?: {
    readonly area: string;
    readonly rooms: string;
    readonly rent: string;
    readonly serviceCharges: string;
    readonly heating: string;
    readonly heatingType: string;
    readonly landlordId: string;
  };
}

const FEMALE = ['Erika', 'Ayşe', 'Małgorzata', 'Zoë', 'Ingrid', 'Renée', 'Şükran', 'Łucja', 'Chloé', 'Dörte', 'Jóhanna', 'Anaïs', 'Grażyna', 'Marta', 'Hülya', 'Ewa'];
const MALE = ['Jürgen', 'Ömer', 'Łukasz', 'Søren', 'François', 'Björn', 'Dragoș', 'Jiří', 'Mehmet', 'Václav', 'Đorđe', 'Thomas', 'Karl-Heinz', 'Grzegorz', 'Sven', 'Andrés'];
const CHILD_F = ['Lea', 'Zeynep', 'Zofia', 'Mia', 'Lina', 'Hanna', 'Émilie', 'Elif'];
const CHILD_M = ['Ben', 'Jonas', 'Emir', 'Kacper', 'Noah', 'Luka', 'Mateusz', 'Élias'];
const FAMILY = [
  'Musterfrau',
  'Mustermann',
  'Łukasiewicz',
  'Øvergård',
  'Öztürk',
  'Şahin',
  'Dąbrowski',
  'Novák',
  'Đurić',
  'Müller-Lüdenscheidt',
  'Schäfer',
  'Weiß',
  'Lefèvre',
  'Grünewald',
  'Kovačević',
  'Brøndsted',
  'Żurawski',
  'Ćosić',
  'Knoß',
  'Ibáñez',
];
/** "Müller" with a combining diaeresis (U+0308), as typed on some systems: readers must cope with both forms. */
const COMBINING_FAMILY = 'Mu\u0308ller';
const STREETS = ['Hauptstraße', 'Am Mühlenbach', 'Lindenallee', 'Schloßstraße', 'Bahnhofstraße', 'Zur Ölmühle', 'Kirchgasse', 'Weidenweg'];
const TOWNS: ReadonlyArray<readonly [string, string]> = [
  ['12345', 'Musterstadt'],
  ['54321', 'Beispielhausen'],
  ['50667', 'Köln'],
  ['80331', 'München'],
  ['01067', 'Dresden'],
  ['24103', 'Kiel'],
];
const BANKS: ReadonlyArray<readonly [string, string]> = [
  ['Musterbank Rheinland (fiktiv)', 'MUSTDEM1XXX'],
  ['Sparkasse Beispielstadt (fiktiv)', 'SPBSDEB1XXX'],
  ['Testbank eG (fiktiv)', 'TSTBDEF1XXX'],
];
const INSURERS = ['Musterkasse (fiktiv)', 'Beispiel-BKK (fiktiv)', 'Gesundheitskasse Testland (fiktiv)'];

const REL_PARTNER: CodeWithName = { code: '02', name: 'Ehegatte/Ehegattin' };
const REL_CHILD: CodeWithName = { code: '03', name: 'Kind' };
const TYPE_LANDLORD: CodeWithName = { code: '10', name: 'Vermieter/in' };
const TYPE_GUARDIAN: CodeWithName = { code: '20', name: 'Rechtliche Betreuerin / rechtlicher Betreuer' };
const TYPE_PARENT: CodeWithName = { code: '30', name: 'Elternteil' };

const BENEFIT: Record<Service, CodeWithName> = {
  hzl: { code: 'HZL-RB', name: 'Regelbedarf und Kosten der Unterkunft' },
  grusi: { code: 'GRUSI-RB', name: 'Grundsicherung (Regelbedarf, Unterkunft und Heizung)' },
  but: { code: 'BUT-SCHULBEDARF', name: 'Schulbedarf und Mittagsverpflegung' },
  asylblg: { code: 'ASYL-GRUND', name: 'Grundleistungen' },
  wbs: { code: 'WBS', name: 'Wohnberechtigungsschein' },
};

const HOUSEHOLDS: Record<Service, readonly HouseholdKind[]> = {
  hzl: ['single', 'couple', 'family', 'guardian'],
  grusi: ['single', 'couple', 'guardian'],
  but: ['family'],
  asylblg: ['single', 'family'],
  wbs: ['single', 'couple', 'family'],
};

export function makeHousehold(rng: Rng, service: Service, year: number, forced?: HouseholdKind): Household {
  const kind = forced ?? rng.pick(HOUSEHOLDS[service]);
  const family = rng.chance(0.12) ? COMBINING_FAMILY : rng.pick(FAMILY);
  const [postcode, town] = rng.pick(TOWNS);
  const address: Address = { street: rng.pick(STREETS), houseNumber: String(rng.int(1, 120)) + (rng.chance(0.2) ? 'a' : ''), postcode, town };
  const foreign = service === 'asylblg';
  const nationality = foreign ? rng.pick(['475', '423', '163', '166', '438']) : rng.chance(0.8) ? '000' : rng.pick(['152', '163', '137', '170']);
  const adultAge = service === 'grusi' ? rng.int(66, 84) : rng.int(24, 58);
  const persons: Person[] = [];
  const thirdParties: ThirdParty[] = [];
  let nextPerson = 1;
  const adult = (sex: 'm' | 'w', applicant: boolean, relation?: CodeWithName): Person => {
    const givenName = rng.pick(sex === 'w' ? FEMALE : MALE);
    const age = relation ? Math.max(20, adultAge + rng.int(-4, 4)) : adultAge;
    return {
      id: `P${nextPerson++}`,
      givenName,
      familyName: family,
      title: rng.chance(0.08) ? 'Dr.' : '',
      birthDate: date(rng, year - age),
      sex,
      nationality,
      applicant,
      receivesMail: applicant,
      ...(relation ? { relation } : {}),
      income: incomes(rng, service, age, year),
      assets: applicant ? assets(rng) : [],
      insurance: { kind: { code: '01', name: 'gesetzlich' }, insurer: rng.pick(INSURERS), number: `${String.fromCharCode(65 + rng.int(0, 25))}${rng.digits(9)}` },
      benefit: BENEFIT[service],
      earlierBenefits: applicant && rng.chance(0.5) ? [earlierBenefit(rng, year)] : [],
    };
  };
  const child = (applicant: boolean): Person => {
    const sex = rng.chance(0.5) ? 'w' : 'm';
    const age = rng.int(6, 16);
    return {
      id: `P${nextPerson++}`,
      givenName: rng.pick(sex === 'w' ? CHILD_F : CHILD_M),
      familyName: family,
      title: '',
      birthDate: date(rng, year - age),
      sex,
      nationality,
      applicant,
      receivesMail: false,
      relation: REL_CHILD,
      income: [{ kind: { code: 'KG', name: 'Kindergeld' }, amount: '255.00', since: date(rng, year - age) }],
      assets: [],
      earlierBenefits: [],
      school: {
        kind: { code: age < 10 ? 'GS' : 'SEK1', name: age < 10 ? 'Grundschule' : 'Sekundarstufe I' },
        name: `${rng.pick(['Astrid-Lindgren', 'Geschwister-Scholl', 'Marie-Curie', 'Käthe-Kollwitz'])}-Schule ${town}`,
      },
      benefit: BENEFIT[service],
    };
  };
  const firstSex = rng.chance(0.6) ? 'w' : 'm';
  if (service === 'but') {
    // the children apply; the parent who files is a third party of type "Elternteil"
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++) persons.push(child(true));
    const parentName = rng.pick(FEMALE);
    thirdParties.push({
      id: 'D1',
      type: TYPE_PARENT,
      person: { givenName: parentName, familyName: family, birthDate: date(rng, year - rng.int(28, 45)) },
      address,
      email: mail(parentName, family),
      phone: phone(rng),
      forPersonId: persons[0]!.id,
      receivesMail: true,
    });
  } else {
    const first = adult(firstSex, true);
    persons.push(first);
    if (kind === 'couple' || (kind === 'family' && rng.chance(0.6))) persons.push(adult(firstSex === 'w' ? 'm' : 'w', false, REL_PARTNER));
    if (kind === 'family') {
      const count = rng.int(1, 3);
      for (let i = 0; i < count; i++) persons.push(child(false));
    }
    if (kind === 'guardian') {
      thirdParties.push({
        id: `D${thirdParties.length + 1}`,
        type: TYPE_GUARDIAN,
        person: { givenName: rng.pick(MALE), familyName: rng.pick(FAMILY.filter((f) => f !== family)), birthDate: date(rng, year - rng.int(35, 60)) },
        address: { street: 'Betreuungsweg', houseNumber: String(rng.int(1, 30)), postcode: address.postcode, town: address.town },
        email: 'betreuung@example.org',
        phone: phone(rng),
        forPersonId: first.id,
        receivesMail: true,
      });
    }
  }
  const holder = persons.find((p) => p.applicant && p.relation === undefined) ?? persons[0]!;
  const withBank = service !== 'wbs';
  // for Bildung und Teilhabe the account is the filing parent's, given with the first child
  const parent = service === 'but' ? thirdParties[0]?.person : undefined;
  const holderName = parent ? `${parent.givenName} ${parent.familyName}` : `${holder.givenName} ${holder.familyName}`;
  const finalPersons = persons.map((p) => (withBank && p === holder ? { ...p, bank: bankAccount(rng, holderName) } : p));
  let housing: Household['housing'];
  if (service !== 'asylblg') {
    const landlordId = `D${thirdParties.length + 1}`;
    thirdParties.push({
      id: landlordId,
      type: TYPE_LANDLORD,
      organisation: rng.pick(['Wohnungsbau Musterstadt GmbH (fiktiv)', 'Gemeinnützige Wohnungsgenossenschaft Beispiel eG (fiktiv)', 'Hausverwaltung Schäfer & Söhne (fiktiv)']),
      address: { street: rng.pick(STREETS), houseNumber: String(rng.int(1, 80)), postcode: address.postcode, town: address.town },
      phone: phone(rng),
      receivesMail: false,
    });
    const area = rng.int(30, 45) + 12 * (persons.length - 1);
    housing = {
      area: String(area),
      rooms: String(Math.min(5, 1 + persons.length)),
      rent: money(area * rng.int(7, 11)),
      serviceCharges: money(area * 2.1),
      heating: money(area * 1.4),
      heatingType: rng.pick(['Zentralheizung', 'Gasetagenheizung', 'Fernwärme']),
      landlordId,
    };
  }
  const mainName = holder.givenName;
  return { kind, persons: finalPersons, thirdParties, address, email: mail(mainName, family), phone: phone(rng), ...(housing ? { housing } : {}) };
}

function incomes(rng: Rng, service: Service, age: number, year: number): Income[] {
  // every income began at least a year before the application
  const since = (from: number, to: number) => `${year - rng.int(from, to)}-0${rng.int(1, 9)}-01`;
  if (service === 'asylblg') return [];
  if (age >= 66) return [{ kind: { code: 'RENTE', name: 'Altersrente' }, amount: money(rng.int(420, 980)), since: `${year - (age - 65)}-0${rng.int(1, 9)}-01` }];
  const out: Income[] = [];
  if (rng.chance(0.5)) out.push({ kind: { code: 'LOHN', name: 'Arbeitsentgelt (Minijob)' }, amount: money(rng.int(180, 538)), since: since(1, 4) });
  if (rng.chance(0.3)) out.push({ kind: { code: 'UNTERH', name: 'Unterhalt' }, amount: money(rng.int(150, 420)), since: since(1, 6) });
  if (service === 'hzl' && rng.chance(0.4))
    out.push({ kind: { code: 'EMR', name: 'Rente wegen voller Erwerbsminderung (befristet)' }, amount: money(rng.int(300, 700)), since: since(1, 6) });
  return out;
}

function earlierBenefit(rng: Rng, year: number): Person['earlierBenefits'][number] {
  const [name, agency] = rng.pick([
    ['Bürgergeld (SGB II)', 'Jobcenter Musterstadt (fiktiv)'],
    ['Wohngeld', 'Wohngeldstelle Beispielhausen (fiktiv)'],
    ['Arbeitslosengeld (SGB III)', 'Agentur für Arbeit Musterstadt (fiktiv)'],
  ] as const);
  const from = `${year - rng.int(2, 4)}-${String(rng.int(1, 12)).padStart(2, '0')}-01`;
  return { name, agency, from, to: `${year - 1}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}` };
}

function assets(rng: Rng): Asset[] {
  const out: Asset[] = [{ kind: { code: 'GIRO', name: 'Girokonto' }, description: 'Girokonto (Guthaben)', value: money(rng.int(20, 1800)) }];
  if (rng.chance(0.4)) out.push({ kind: { code: 'SPAR', name: 'Sparbuch' }, description: 'Sparbuch', value: money(rng.int(100, 4000)) });
  if (rng.chance(0.3)) out.push({ kind: { code: 'KFZ', name: 'Kraftfahrzeug' }, description: `Pkw, Baujahr ${rng.int(2004, 2016)}`, value: money(rng.int(800, 4500)) });
  return out;
}

/** A German IBAN with valid check digits at a fictitious bank (random 8-digit bank code, 10-digit account). */
export function fictitiousIban(rng: Rng): string {
  const bban = `${rng.int(1, 8)}${rng.digits(7)}${rng.digits(10)}`;
  return `DE${ibanCheckDigits('DE', bban)}${bban}`;
}

export function ibanCheckDigits(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of numeric) remainder = (remainder * 10 + Number(d)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

function bankAccount(rng: Rng, holder: string): BankAccount {
  const [bank, bic] = rng.pick(BANKS);
  return { iban: fictitiousIban(rng), bic, bank, holder };
}

function date(rng: Rng, year: number): string {
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

function money(value: number): string {
  return value.toFixed(2);
}

function phone(rng: Rng): string {
  return `0${rng.int(201, 999)} ${rng.digits(6)}`;
}

function mail(given: string, family: string): string {
  const ascii = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/[Łł]/g, 'l')
      .replace(/[Øø]/g, 'o')
      .replace(/[Đđ]/g, 'd')
      .replace(/[^A-Za-z-]/g, '')
      .toLowerCase();
  return `${ascii(given)}.${ascii(family)}@example.org`;
}
