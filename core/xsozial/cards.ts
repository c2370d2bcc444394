/**
 * The "Übersicht" of an application: a summary, not a field dump. One block per person — applicants first, then
 * the others in the household, then the third parties (Dritte) — each starting with who gets the letters
 * ("Empfänger/in der Post"), then name, birth date, the address as one block, relation, contact, what is requested
 * for this person and the amounts that matter; every further value of the person under "Alle Angaben" in the same
 * block. Applicants and third parties use the same labels. Then the case-level groups (housing, …), the documents,
 * and last, closed, the technical facts (Vorgangs-ID, Nachrichten-ID, Erstellungszeitpunkt, …). The Daten tree
 * keeps every value of the message; this only chooses and orders.
 */
import { formatPersonName, type PersonName } from './person-names.js';
import { visibleText } from '../visible-text.js';
import { addressBlock } from './address.js';
import type { Label } from './labels.js';
import { findNode, findNodes, localOf, nodeChild, nodeChildren, presentValue } from './tree-nodes.js';
import { bytes as formatBytes } from '../words/format.js';
import { formatValue, type DisplayValue } from './values.js';
import { TEST_BANNER, type CardSection, type DeliveryView, type DocumentView, type Field, type SummaryCard, type TreeNode } from './view.js';

export interface CardContext {
  readonly familyFirst: boolean;
  /** A referenced id's name as written in a sentence ("Erika Weiß"), to find the same name written as text. */
  readonly naturalName: (id: string) => string | undefined;
}

type ViewBase = Omit<DeliveryView, 'cards'>;

const L = (de: string, en: string): Label => ({ de, en });

/** A technical id: an element that names a local id or UUID (not a reference shown as the name it points to). */
function isTechnical(node: Pick<TreeNode, 'name' | 'value'>): boolean {
  return /(?:ID|UUID|Id)$/.test(localOf(node.name)) && node.value?.kind !== 'reference';
}

function fieldOf(node: TreeNode, label: Label = node.label): Field {
  return { id: node.id, label, value: node.value!, ...(isTechnical(node) ? { technical: true } : {}) };
}

export function applicationCards(tree: TreeNode, base: ViewBase, ctx: CardContext): SummaryCard[] {
  const xsozial = nodeChild(tree, 'xsozial');
  const vorgang = nodeChild(xsozial, 'vorgang');
  const cards: SummaryCard[] = [];

  const persons = nodeChildren(vorgang, 'person');
  const isApplicant = (p: TreeNode) => nodeChild(p, 'antragsteller')?.value?.display === 'Ja';
  const applicants = persons.some(isApplicant) ? persons.filter(isApplicant) : persons.slice(0, 1);
  const household = persons.filter((p) => !applicants.includes(p));
  applicants.forEach((p, i) => cards.push(personCard(p, `antragsteller-${i + 1}`, L('Antragsteller/in', 'Applicant'), ctx)));
  household.forEach((p, i) => cards.push(personCard(p, `haushalt-${i + 1}`, L('Person im Haushalt', 'Household member'), ctx)));
  nodeChildren(vorgang, 'dritte').forEach((d, i) => cards.push(thirdPartyCard(d, `dritte-${i + 1}`, ctx)));

  const groups = (vorgang?.children ?? []).filter((c) => !['person', 'dritte', 'vorgangsTyp', 'antragsDatum'].includes(localOf(c.name)) && c.children.length > 0 && !c.value);
  groups.forEach((g, i) => {
    const title = groupTitle(g);
    cards.push({ id: `angaben-${i + 1}`, kind: 'group', title, sections: [{ id: `angaben-${i + 1}`, title, fields: flatten(g, ctx) }] });
  });
  cards.push(documentsCard(base.documents));
  cards.push(technicalCard(tree, base));
  return cards;
}

/** The facts of the message and the case as a whole: useful for IT and the case file, not for reading first. */
function technicalCard(tree: TreeNode, base: ViewBase): SummaryCard {
  const xsozial = nodeChild(tree, 'xsozial');
  const vorgang = nodeChild(xsozial, 'vorgang');
  const head = tree.children.find((c) => localOf(c.name).startsWith('nachrichtenkopf'));
  const ident = nodeChild(head, 'identifikation.nachricht');
  const fields: Field[] = [];
  if (base.test) {
    fields.push({ id: `${tree.id}/@test`, label: L('Testantrag', 'Test application'), value: { kind: 'boolean', display: `Ja – ${TEST_BANNER.de}`, raw: 'true' } });
  }
  const typNode = nodeChild(vorgang, 'vorgangsTyp');
  if (base.benefit) {
    fields.push({
      id: typNode?.id ?? `${tree.id}/@produkt`,
      label: L('Leistung', 'Benefit'),
      value: { kind: 'code', display: base.benefit.display, raw: base.benefit.code ?? base.benefit.text ?? '' },
    });
  }
  const push = (node: TreeNode | undefined, label?: Label) => {
    if (node?.value) fields.push(fieldOf(node, label));
  };
  push(nodeChild(vorgang, 'antragsDatum'));
  push(nodeChild(nodeChild(xsozial, 'identifikationVorgang'), 'vorgangsID'));
  push(nodeChild(ident, 'nachrichtenUUID'));
  push(nodeChild(ident, 'erstellungszeitpunkt'));
  push(nodeChild(nodeChild(head, 'autor'), 'name'), L('Absender', 'Sender'));
  push(nodeChild(nodeChild(head, 'leser'), 'name'), L('Empfänger', 'Recipient'));
  const title = L('Technische Angaben zum Antrag', 'Technical details of the application');
  return { id: 'antrag', kind: 'technical', title, collapsed: true, sections: [{ id: 'antrag', title, fields }] };
}

/** A person's name in its parts, read from the view tree (natural person, else organisation). */
export function nameOfNode(n: TreeNode): PersonName | undefined {
  const natural = findNode(n, 'nameNatuerlichePerson');
  if (natural) {
    const part = (local: string): string => {
      const c = nodeChild(natural, local);
      if (!c) return '';
      if (c.value) return presentValue(c)?.raw ?? '';
      return c.children
        .map((x) => presentValue(x)?.raw ?? '')
        .filter((x) => x !== '')
        .join(' ');
    };
    const family = part('familienname');
    const given = part('vorname');
    const title = part('titel');
    if (family !== '' || given !== '') return { family, given, ...(title ? { title } : {}) };
  }
  const orgName = presentValue(nodeChild(findNode(n, 'nichtNatuerlichePerson'), 'name'))?.raw;
  return orgName ? { family: orgName, given: '' } : undefined;
}

function shownName(n: TreeNode, ctx: CardContext): string {
  const name = nameOfNode(n);
  return name ? formatPersonName(name, ctx.familyFirst) : n.label.de;
}

function personCard(p: TreeNode, id: string, role: Label, ctx: CardContext): SummaryCard {
  const name = shownName(p, ctx);
  const relation = presentValue(nodeChild(p, 'beziehungZumAntragsteller'))?.code?.text;
  const suffix = relation ? ` (${relation})` : '';
  return {
    id,
    kind: 'person',
    title: { de: `${role.de}: ${name}${suffix}`, en: `${role.en}: ${name}${suffix}` },
    sections: [{ id: `${id}-ueberblick`, title: L('Überblick', 'Summary'), role: 'summary', fields: personSummary(p) }, ...allDetails(p, id, ctx)],
  };
}

function thirdPartyCard(d: TreeNode, id: string, ctx: CardContext): SummaryCard {
  const name = shownName(d, ctx);
  const typ = presentValue(nodeChild(d, 'dritteTyp'));
  const kind = typ ? (typ.code?.text ?? typ.display) : undefined;
  return {
    id,
    kind: 'third-party',
    title: kind ? { de: `Beteiligte/r: ${kind} – ${name}`, en: `Third party: ${kind} – ${name}` } : { de: `Beteiligte/r: ${name}`, en: `Third party: ${name}` },
    sections: [{ id: `${id}-ueberblick`, title: L('Überblick', 'Summary'), role: 'summary', fields: personSummary(d) }, ...allDetails(d, id, ctx)],
  };
}

/**
 * What a caseworker reads first about a person (applicant, household member or third party alike): who gets the
 * letters, the name, birth date, the address block, relation, contact, what is requested for the person, school or
 * training, the amounts (income, assets) and the bank account.
 */
function personSummary(p: TreeNode): Field[] {
  const fields: Field[] = [];
  const push = (node: TreeNode | undefined, label?: Label) => {
    if (presentValue(node)) fields.push(fieldOf(node!, label));
  };
  const mail = nodeChild(p, 'schriftgutempfaenger');
  if (mail?.value?.kind === 'boolean' && mail.value.display === 'Ja') push(mail);
  // the name is the card's title: its parts are copied with the block, not shown twice
  const named = (node: TreeNode | undefined, label?: Label) => {
    if (presentValue(node)) fields.push({ ...fieldOf(node!, label), inTitle: true });
  };
  const natural = findNode(p, 'nameNatuerlichePerson');
  for (const local of ['familienname', 'vorname', 'titel']) {
    const part = nodeChild(natural, local);
    if (!part) continue;
    if (part.value) named(part);
    else for (const n of part.children) named(n, part.label);
  }
  named(nodeChild(findNode(p, 'nichtNatuerlichePerson'), 'name'));
  push(nodeChild(findNode(p, 'geburt'), 'datum'));
  push(nodeChild(p, 'beziehungZumAntragsteller'));
  for (const a of findNodes(p, 'anschrift')) {
    const block = addressBlock(a);
    if (block) fields.push({ id: `${a.id}#anschrift`, label: a.label, value: block.value, covers: block.covers });
  }
  for (const k of findNodes(p, 'kommunikation')) {
    const kanal = presentValue(nodeChild(k, 'kanal'));
    const kennung = nodeChild(k, 'kennung');
    if (!presentValue(kennung)) continue;
    const label = kanal?.code?.text;
    fields.push({ ...fieldOf(kennung!, label ? L(label, label) : kennung!.label), covers: [nodeChild(k, 'kanal')?.id ?? ''].filter((x) => x !== '') });
  }
  for (const b of nodeChildren(p, 'beantragteLeistung')) push(nodeChild(b, 'leistungArt'), L('Beantragt', 'Requested'));
  for (const a of nodeChildren(p, 'ausbildung')) {
    push(nodeChild(a, 'ausbildungsart'));
    push(nodeChild(a, 'einrichtung'));
  }
  push(nodeChild(p, 'betreutePersonID'));
  const amount = (groupLocal: string, kindLocal: string, valueLocal: string, word: Label) => {
    for (const g of nodeChildren(p, groupLocal)) {
      const kind = presentValue(nodeChild(g, kindLocal));
      const value = nodeChild(g, valueLocal);
      if (!presentValue(value)) continue;
      const what = kind?.code?.text ?? kind?.display;
      fields.push({
        ...fieldOf(value!, what ? { de: `${word.de}: ${what}`, en: `${word.en}: ${what}` } : word),
        covers: [nodeChild(g, kindLocal)?.id ?? ''].filter((x) => x !== ''),
      });
    }
  };
  amount('einkommen', 'einkommensart', 'betrag', L('Einkommen', 'Income'));
  amount('vermoegen', 'vermoegensart', 'wert', L('Vermögen', 'Assets'));
  for (const b of nodeChildren(p, 'bankverbindung')) push(nodeChild(b, 'iban'));
  return fields;
}

/** "Alle Angaben": every value of the person, grouped as in the message. */
function allDetails(p: TreeNode, prefix: string, ctx: CardContext): CardSection[] {
  const personal: Field[] = [];
  const groups: CardSection[] = [];
  for (const c of p.children) {
    const local = localOf(c.name);
    if (c.value) personal.push(fieldOf(c));
    else if (local === 'allgemein') personal.push(...flatten(c, ctx));
    else groups.push({ id: `${prefix}-${local}-${groups.length + 1}`, title: groupTitle(c), role: 'all', fields: flatten(c, ctx) });
  }
  const own: CardSection = { id: `${prefix}-angaben`, title: L('Persönliche Angaben', 'Personal details'), role: 'all', fields: personal };
  return [own, ...groups].filter((s) => s.fields.length > 0);
}

export function groupTitle(node: TreeNode): Label {
  const index = /\[(\d+)\]$/.exec(node.id)?.[1];
  return index ? { de: `${node.label.de} ${index}`, en: `${node.label.en} ${index}` } : node.label;
}

/**
 * Every value below a node, labelled by its own label (the parent's label is prefixed where labels repeat). A name
 * given twice under one parent, as text and as a reference to the person it names (kontoinhaber "Erika Weiß" and
 * kontoinhaberPersonID P1, both "Kontoinhaber/in"; the person's name may carry a title the text leaves out) is one
 * field: the reference, covering the text's id.
 */
/** Comparisons spent on finding twins in one flattened group (a real group has a few dozen fields). */
const MAX_TWIN_CHECKS = 100_000;

export function flatten(node: TreeNode, ctx: CardContext): Field[] {
  const collected: Array<Field & { parentLabel: Label; parentId: string }> = [];
  const visit = (n: TreeNode, parent: TreeNode, parentLabel: Label) => {
    if (n.value) {
      collected.push({ ...fieldOf(n), parentLabel, parentId: parent.id });
      return;
    }
    for (const c of n.children) visit(c, n, groupTitle(n));
  };
  for (const c of node.children) visit(c, node, node.label);
  const norm = (x: string) => x.normalize('NFC').replace(/\s+/g, ' ').trim();
  // the reference's name is the text, or the text with what comes before it (an academic title: "Dr. Søren …")
  const sameName = (written: string, name: string) => written !== '' && (name === written || name.endsWith(` ${written}`));
  const covered = new Map<string, string[]>();
  const dropped = new Set<string>();
  // the text fields a reference may stand for, by parent and label, each normalised once: a search through all
  // fields for every reference was quadratic (5,000 references under one parent: 6 s; 200,000: hours)
  const texts = new Map<string, Array<{ field: (typeof collected)[number]; written: string | undefined }>>();
  for (const t of collected) {
    if (t.value.kind !== 'text') continue;
    const key = `${t.parentId}\0${t.label.de}`;
    const list = texts.get(key) ?? [];
    list.push({ field: t, written: undefined });
    texts.set(key, list);
  }
  const names = new Map<string, string>();
  // merging twins is presentation only (unmerged, both are shown): bounded, so no delivery decides its cost
  let checks = MAX_TWIN_CHECKS;
  for (const ref of collected) {
    if (ref.value.kind !== 'reference') continue;
    const candidates = texts.get(`${ref.parentId}\0${ref.label.de}`);
    if (candidates === undefined || checks <= 0) continue;
    const raw = ctx.naturalName(ref.value.raw);
    if (raw === undefined) continue;
    const name = names.get(raw) ?? norm(raw);
    names.set(raw, name);
    let twin: (typeof collected)[number] | undefined;
    for (const candidate of candidates) {
      if (--checks < 0) break;
      if (dropped.has(candidate.field.id)) continue;
      candidate.written ??= norm(candidate.field.value.raw);
      if (sameName(candidate.written, name)) {
        twin = candidate.field;
        break;
      }
    }
    if (!twin) continue;
    dropped.add(twin.id);
    covered.set(ref.id, [...(covered.get(ref.id) ?? []), twin.id]);
  }
  const out = collected.filter((f) => !dropped.has(f.id)).map(({ parentId: _parent, ...f }) => (covered.has(f.id) ? { ...f, covers: covered.get(f.id)! } : f));
  const counts = new Map<string, number>();
  for (const f of out) counts.set(f.label.de, (counts.get(f.label.de) ?? 0) + 1);
  return out.map(({ parentLabel, ...f }) =>
    (counts.get(f.label.de) ?? 0) > 1 && parentLabel.de !== f.label.de ? { ...f, label: { de: `${parentLabel.de} › ${f.label.de}`, en: `${parentLabel.en} › ${f.label.en}` } } : f,
  );
}

export function documentValue(doc: DocumentView): DisplayValue {
  const type = doc.detectedMimeType ?? doc.mimeType ?? 'unbekannter Typ';
  return {
    kind: 'document',
    display: `Dokument „${visibleText(doc.fileName ?? doc.name)}“ (${type}, ${formatBytes(doc.size)})`,
    raw: doc.sha256,
    ...(doc.problem ? { flag: doc.problem } : {}),
  };
}

export function documentsCard(documents: readonly DocumentView[]): SummaryCard {
  const fields: Field[] = documents.map((d) => ({ id: d.treeId, label: { de: d.name, en: d.name }, value: documentValue(d) }));
  return {
    id: 'dokumente',
    kind: 'documents',
    title: { de: `Dokumente (${documents.length})`, en: `Documents (${documents.length})` },
    sections: [{ id: 'dokumente', title: L('Dokumente', 'Documents'), fields }],
  };
}

/** Any other XÖV or XML message: what it is (root, namespace, standard, type, ids) and its documents. */
export function genericCards(tree: TreeNode, base: ViewBase, documents: readonly DocumentView[]): SummaryCard[] {
  const fields: Field[] = [
    { id: tree.id, label: L('Nachricht (Wurzelelement)', 'Message (root element)'), value: formatValue(base.rootName, undefined) },
    { id: `${tree.id}/@xmlns`, label: L('Namensraum', 'Namespace'), value: formatValue(base.namespace, undefined) },
  ];
  const add = (id: string, de: string, en: string, v: string | undefined, technical = false) => {
    if (v) fields.push({ id, label: { de, en }, value: formatValue(v, undefined), ...(technical ? { technical: true } : {}) });
  };
  // ids of the tree nodes the values come from, so the full list does not repeat them
  const ident = findNode(tree, 'identifikation.nachricht');
  const idOf = (local: string, fallback: string) => (local.startsWith('@') ? `${tree.id}/${local}` : (findNode(ident, local)?.id ?? fallback));
  add(idOf('@standard', ''), 'Standard', 'Standard', base.standard);
  add(idOf('@version', ''), 'Version', 'Version', base.version);
  add(idOf('nachrichtentyp', `${tree.id}/@nachrichtentyp`), 'Nachrichtentyp', 'Message type', base.messageType);
  add(idOf('nachrichtenUUID', `${tree.id}/@nachrichtenUUID`), 'Nachrichten-ID', 'Message ID', base.messageId, true);
  if (base.createdAt) fields.push({ id: idOf('erstellungszeitpunkt', `${tree.id}/@erstellungszeitpunkt`), label: L('Erstellungszeitpunkt', 'Created at'), value: base.createdAt });
  if (base.test) fields.push({ id: `${tree.id}/@test`, label: L('Testnachricht', 'Test message'), value: { kind: 'boolean', display: 'Ja', raw: 'true' } });
  const title = L('Nachricht', 'Message');
  const cards: SummaryCard[] = [{ id: 'nachricht', kind: 'message', title, sections: [{ id: 'nachricht', title, fields }] }];
  if (documents.length > 0) cards.push(documentsCard(documents));
  return cards;
}
