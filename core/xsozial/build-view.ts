/**
 * Turns the parsed element tree into the view model: the full labelled tree for every message, summary cards for
 * recognised XSozial-basis applications, and the inline documents as attachments.
 */
import { findCodeList } from './codelists.js';
import { createLabelSource, type Label, type LabelSource, type XsdLabels } from './labels.js';
import { visibleText } from '../visible-text.js';
import { declaredType, detectMimeType, mimeTypesAgree } from './magic.js';
import { formatBytes, formatValue, type DisplayValue } from './values.js';
import type {
  BenefitSummary,
  CardSection,
  DeliveryKind,
  DeliveryView,
  DocumentView,
  Field,
  SummaryCard,
  TreeNode,
} from './view.js';
import { TEST_BANNER } from './view.js';
import type { RawElement } from './xml-stream.js';

export const XSOZIAL_NAMESPACE_PREFIX = 'https://portalverbund.d-nrw.de/efa/XSozial-basis/';

export interface BuildOptions {
  readonly xsdLabels?: XsdLabels;
}

interface Context {
  readonly labels: LabelSource;
  /** Local id (personID, dritteID, ...) → display name of what it identifies. */
  readonly references: ReadonlyMap<string, string>;
  readonly documents: DocumentView[];
  readonly documentIds: Set<string>;
}

export function buildView(root: RawElement, sourceSize: number, options: BuildOptions = {}): DeliveryView {
  const ctx: Context = {
    labels: createLabelSource(options.xsdLabels),
    references: collectReferences(root),
    documents: [],
    documentIds: new Set(),
  };
  const tree = buildNode(root, [root.local], root.local, [], ctx);
  const facts = headerFacts(root);
  const kind = classify(root);
  const applicants = kind === 'xsozial-application' ? applicantNames(root) : [];
  const base = {
    kind,
    namespace: root.ns,
    rootName: root.name,
    ...facts,
    applicants,
    tree,
    documents: ctx.documents,
    sourceSize,
  };
  const cards = kind === 'xsozial-application' ? applicationCards(tree, base, ctx.documents) : genericCards(tree, base, ctx.documents);
  return { ...base, cards };
}

// ---------------------------------------------------------------------------------------------------------------
// classification and header facts

export function classify(root: RawElement): DeliveryKind {
  if (root.ns.startsWith(XSOZIAL_NAMESPACE_PREFIX) && child(child(root, 'xsozial'), 'vorgang')) return 'xsozial-application';
  const looksXoev =
    attr(root, 'standard') !== undefined ||
    /\.\d{4,}$/.test(root.local) ||
    root.children.some((c) => c.local.startsWith('nachrichtenkopf'));
  return looksXoev ? 'generic-xoev' : 'generic-xml';
}

interface HeaderFacts {
  standard?: string;
  version?: string;
  messageType?: string;
  product?: string;
  test: boolean;
  messageId?: string;
  createdAt?: DisplayValue;
  benefit?: BenefitSummary;
  applicationDate?: DisplayValue;
}

export function headerFacts(root: RawElement): HeaderFacts {
  const head = root.children.find((c) => c.local.startsWith('nachrichtenkopf'));
  const ident = child(head, 'identifikation.nachricht');
  const typeCode = text(child(child(ident, 'nachrichtentyp'), 'code'));
  const testAttr = attr(root, 'test');
  const vorgang = child(child(root, 'xsozial'), 'vorgang');
  const created = text(child(ident, 'erstellungszeitpunkt'));
  const date = text(child(vorgang, 'antragsDatum'));
  const facts: HeaderFacts = { test: testAttr === 'true' || testAttr === '1' };
  const set = <K extends keyof HeaderFacts>(key: K, value: HeaderFacts[K] | undefined) => {
    if (value !== undefined && value !== '') facts[key] = value;
  };
  set('standard', attr(root, 'standard'));
  set('version', attr(root, 'version'));
  set('messageType', typeCode || /\.(\d+)$/.exec(root.local)?.[1]);
  set('product', attr(root, 'produkt')?.trim());
  set('messageId', text(child(ident, 'nachrichtenUUID')));
  if (created) set('createdAt', formatValue(created, undefined));
  if (date) set('applicationDate', formatValue(date, 'date'));
  const typ = child(vorgang, 'vorgangsTyp');
  if (typ || facts.product) set('benefit', benefitOf(typ, facts.product));
  return facts;
}

function benefitOf(typ: RawElement | undefined, product: string | undefined): BenefitSummary {
  const value = typ ? codeValue(typ, ['vorgang', 'vorgangsTyp']) : undefined;
  const code = value?.code?.code;
  const textFromList = value?.code?.text;
  const text = textFromList ?? product;
  const display = text && code ? `${text} (${code})` : (text ?? code ?? '');
  return { ...(code ? { code } : {}), ...(text ? { text } : {}), display };
}

/** Names of the persons marked antragsteller (the first person where none is marked). */
export function applicantNames(root: RawElement): string[] {
  const persons = children(child(child(root, 'xsozial'), 'vorgang'), 'person');
  const flagged = persons.filter((p) => text(child(p, 'antragsteller')) === 'true' || text(child(p, 'antragsteller')) === '1');
  return (flagged.length > 0 ? flagged : persons.slice(0, 1)).map(displayName).filter((n) => n !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// local ids → names

function collectReferences(root: RawElement): Map<string, string> {
  const refs = new Map<string, string>();
  const visit = (el: RawElement) => {
    const idChild = el.children.find((c) => c.local === `${el.local}ID` && c.children.length === 0);
    const id = text(idChild);
    if (id) {
      const name = displayName(el);
      if (name && !refs.has(id)) refs.set(id, name);
    }
    el.children.forEach(visit);
  };
  visit(root);
  return refs;
}

/** A readable name for a person, third party, document or benefit entry. */
export function displayName(el: RawElement): string {
  const natural = findDescendant(el, 'nameNatuerlichePerson');
  if (natural) {
    const parts = [
      text(child(natural, 'titel')),
      names(child(natural, 'vorname')),
      names(child(natural, 'familienname')),
    ].filter((p) => p !== '');
    if (parts.length > 0) return parts.join(' ');
  }
  const org = findDescendant(el, 'nichtNatuerlichePerson');
  const orgName = text(child(org, 'name'));
  if (orgName) return orgName;
  const ownName = text(child(el, 'name')) || text(child(el, 'bezeichnung'));
  if (ownName) return ownName;
  const code = el.children.find(isCodeElement);
  if (code) return codeValue(code, [el.local, code.local]).display;
  return '';
}

function names(el: RawElement | undefined): string {
  if (!el) return '';
  const parts = children(el, 'name').map((n) => n.text.trim());
  return (parts.length > 0 ? parts : [el.text.trim()]).filter((p) => p !== '').join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// the labelled tree

function buildNode(el: RawElement, path: string[], id: string, ancestors: RawElement[], ctx: Context): TreeNode {
  const label = ctx.labels.label(path);
  const codeEl = isCodeElement(el);
  const attributes: Field[] = el.attributes
    .filter((a) => !(codeEl && (a.local === 'listURI' || a.local === 'listVersionID')))
    .map((a) => ({
      id: `${id}/@${a.local}`,
      label: ctx.labels.label([...path, `@${a.local}`]),
      value: formatValue(a.value, ctx.labels.valueType([`@${a.local}`])),
    }));
  if (el.binary) {
    const doc = documentFor(el, ancestors, id, ctx);
    return { id, name: el.name, label, value: documentValue(doc), attributes, children: [] };
  }
  if (codeEl) return { id, name: el.name, label, value: codeValue(el, path), attributes, children: [] };
  if (el.children.length === 0) {
    return { id, name: el.name, label, value: leafValue(el, path, ancestors, ctx), attributes, children: [] };
  }
  const counts = new Map<string, number>();
  for (const c of el.children) counts.set(c.local, (counts.get(c.local) ?? 0) + 1);
  const seen = new Map<string, number>();
  const childNodes = el.children.map((c) => {
    const n = (seen.get(c.local) ?? 0) + 1;
    seen.set(c.local, n);
    const childId = `${id}/${c.local}${(counts.get(c.local) ?? 0) > 1 ? `[${n}]` : ''}`;
    return buildNode(c, [...path, c.local], childId, [...ancestors, el], ctx);
  });
  return { id, name: el.name, label, attributes, children: childNodes };
}

function leafValue(el: RawElement, path: readonly string[], ancestors: readonly RawElement[], ctx: Context): DisplayValue {
  const raw = el.text.trim();
  const parent = ancestors[ancestors.length - 1];
  const definesId = parent !== undefined && el.local === `${parent.local}ID`;
  if (!definesId && /ID$/.test(el.local) && raw !== '') {
    const name = ctx.references.get(raw);
    if (name) return { kind: 'reference', display: `${name} (${raw})`, raw };
  }
  return formatValue(el.text, ctx.labels.valueType(path));
}

/** An XÖV code type: an element holding an unqualified `code` (and maybe `name`) and nothing else. */
export function isCodeElement(el: RawElement): boolean {
  return (
    el.children.length > 0 &&
    el.children.length <= 2 &&
    el.children.some((c) => c.local === 'code') &&
    el.children.every((c) => (c.local === 'code' || c.local === 'name') && c.children.length === 0) &&
    el.text.trim() === ''
  );
}

export function codeValue(el: RawElement, path: readonly string[]): DisplayValue {
  const code = text(child(el, 'code'));
  const listURI = attr(el, 'listURI');
  const listVersionID = attr(el, 'listVersionID');
  const list = findCodeList(listURI, path);
  const textValue = list?.codes[code] ?? (text(child(el, 'name')) || undefined);
  return {
    kind: 'code',
    display: code === '' ? 'keine Angabe' : textValue ? `${textValue} (${code})` : code,
    raw: code,
    code: {
      code,
      ...(listURI ?? list?.listURI ? { listURI: listURI ?? list?.listURI } : {}),
      ...(listVersionID ?? list?.listVersionID ? { listVersionID: listVersionID ?? list?.listVersionID } : {}),
      ...(textValue ? { text: textValue } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// inline documents

function documentFor(el: RawElement, ancestors: readonly RawElement[], treeId: string, ctx: Context): DocumentView {
  const binary = el.binary!;
  const parent = ancestors[ancestors.length - 1];
  const representation = parent?.local === 'dokumentRepraesentation' ? parent : undefined;
  const dokument = representation ? ancestors[ancestors.length - 2] : undefined;
  const inDokument = dokument?.local === 'dokument' ? dokument : undefined;
  const fileName = text(child(representation, 'dateiname')) || undefined;
  const mimeType = text(child(representation, 'mimeType')) || undefined;
  const name = text(child(inDokument, 'name')) || fileName || ctx.labels.label([...ancestors.map((a) => a.local), el.local]).de;
  const typeEl = child(inDokument, 'dokumentTyp');
  const documentType = typeEl ? codeValue(typeEl, ['dokument', 'dokumentTyp']) : undefined;
  const detected = binary.size > 0 ? detectMimeType(binary.head) : undefined;
  let id = text(child(inDokument, 'dokumentID')) || text(child(representation, 'dokumentRepraesentationID')) || `inhalt-${binary.ordinal + 1}`;
  if (ctx.documentIds.has(id)) id = `${id}-${binary.ordinal + 1}`;
  ctx.documentIds.add(id);
  const mismatch = !mimeTypesAgree(declaredType(mimeType, fileName), detected);
  const doc: DocumentView = {
    id,
    ordinal: binary.ordinal,
    name,
    ...(fileName ? { fileName } : {}),
    ...(mimeType ? { mimeType } : {}),
    ...(detected ? { detectedMimeType: detected } : {}),
    mimeMismatch: mismatch,
    size: binary.size,
    sha256: binary.sha256,
    ...(documentType ? { documentType } : {}),
    isApplicationForm: documentType?.raw === '1010',
    treeId,
    ...(binary.invalid
      ? {
          problem: {
            kind: 'document-invalid',
            de: 'Der Inhalt des Dokuments ist beschädigt (kein gültiges Base64) und kann nicht geöffnet werden.',
            en: 'The document content is damaged (not valid base64) and cannot be opened.',
          },
        }
      : mismatch
        ? {
            problem: {
              kind: 'mime-mismatch',
              de: `Der angegebene Dateityp stimmt nicht mit dem Inhalt überein (Inhalt: ${detected ?? 'nicht erkannt'}).`,
              en: `The declared file type does not match the content (content: ${detected ?? 'not recognised'}).`,
            },
          }
        : {}),
    location: binary.range ? { kind: 'range', start: binary.range.start, end: binary.range.end } : { kind: 'reparse' },
  };
  ctx.documents.push(doc);
  return doc;
}

function documentValue(doc: DocumentView): DisplayValue {
  const type = doc.detectedMimeType ?? doc.mimeType ?? 'unbekannter Typ';
  return {
    kind: 'document',
    display: `Dokument „${visibleText(doc.fileName ?? doc.name)}“ (${type}, ${formatBytes(doc.size)})`,
    raw: doc.sha256,
    ...(doc.problem ? { flag: doc.problem } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// summary cards

type ViewBase = Omit<DeliveryView, 'cards'>;

function applicationCards(tree: TreeNode, base: ViewBase, documents: readonly DocumentView[]): SummaryCard[] {
  const xsozial = nodeChild(tree, 'xsozial');
  const vorgang = nodeChild(xsozial, 'vorgang');
  const head = tree.children.find((c) => localOf(c.name).startsWith('nachrichtenkopf'));
  const ident = nodeChild(head, 'identifikation.nachricht');
  const cards: SummaryCard[] = [];

  const overview: Field[] = [];
  if (base.test) {
    overview.push({
      id: `${tree.id}/@test`,
      label: { de: 'Testantrag', en: 'Test application' },
      value: { kind: 'boolean', display: `Ja – ${TEST_BANNER.de}`, raw: 'true' },
    });
  }
  const typNode = nodeChild(vorgang, 'vorgangsTyp');
  if (base.benefit) {
    overview.push({
      id: typNode?.id ?? `${tree.id}/@produkt`,
      label: { de: 'Leistung', en: 'Benefit' },
      value: { kind: 'code', display: base.benefit.display, raw: base.benefit.code ?? base.benefit.text ?? '' },
    });
  }
  pushField(overview, nodeChild(vorgang, 'antragsDatum'));
  pushField(overview, nodeChild(nodeChild(xsozial, 'identifikationVorgang'), 'vorgangsID'));
  pushField(overview, nodeChild(ident, 'nachrichtenUUID'));
  pushField(overview, nodeChild(ident, 'erstellungszeitpunkt'));
  pushField(overview, nodeChild(nodeChild(head, 'autor'), 'name'), { de: 'Absender', en: 'Sender' });
  pushField(overview, nodeChild(nodeChild(head, 'leser'), 'name'), { de: 'Empfänger', en: 'Recipient' });
  cards.push({ id: 'antrag', title: { de: 'Antrag', en: 'Application' }, sections: [{ id: 'antrag', title: { de: 'Antrag', en: 'Application' }, fields: overview }] });

  const persons = nodeChildren(vorgang, 'person');
  const isApplicant = (p: TreeNode) => nodeChild(p, 'antragsteller')?.value?.display === 'Ja';
  const applicants = persons.some(isApplicant) ? persons.filter(isApplicant) : persons.slice(0, 1);
  const household = persons.filter((p) => !applicants.includes(p));
  applicants.forEach((person, i) => {
    const name = base.applicants[i] ?? person.label.de;
    cards.push({
      id: `antragsteller-${i + 1}`,
      title: { de: `Antragsteller/in: ${name}`, en: `Applicant: ${name}` },
      sections: personSections(person, `antragsteller-${i + 1}`),
    });
  });
  if (household.length > 0) {
    cards.push({
      id: 'haushalt',
      title: { de: `Weitere Personen im Haushalt (${household.length})`, en: `Other household members (${household.length})` },
      sections: household.map((p, i) => ({
        id: `haushalt-${i + 1}`,
        title: { de: personTitle(p), en: personTitle(p) },
        fields: flatten(p),
      })),
    });
  }
  const benefits: Field[] = [];
  for (const p of persons) {
    for (const b of nodeChildren(p, 'beantragteLeistung')) {
      const art = nodeChild(b, 'leistungArt');
      if (art?.value) benefits.push({ id: art.id, label: { de: `Leistung für ${personTitle(p)}`, en: `Benefit for ${personTitle(p)}` }, value: art.value });
    }
  }
  if (base.benefit || benefits.length > 0) {
    const main: Field[] = [];
    if (base.benefit) {
      main.push({ id: typNode?.id ?? `${tree.id}/@produkt`, label: { de: 'Leistung (Vorgang)', en: 'Benefit (case)' }, value: { kind: 'code', display: base.benefit.display, raw: base.benefit.code ?? base.benefit.text ?? '' } });
    }
    cards.push({ id: 'leistungen', title: { de: 'Beantragte Leistungen', en: 'Requested benefits' }, sections: [{ id: 'leistungen', title: { de: 'Beantragte Leistungen', en: 'Requested benefits' }, fields: [...main, ...benefits] }] });
  }
  const other = (vorgang?.children ?? []).filter((c) => !['person', 'dritte', 'vorgangsTyp', 'antragsDatum'].includes(localOf(c.name)) && c.children.length > 0 && !c.value);
  if (other.length > 0) {
    cards.push({
      id: 'weitere-angaben',
      title: { de: 'Weitere Angaben zum Antrag', en: 'Further details' },
      sections: other.map((c, i) => ({ id: `weitere-angaben-${i + 1}`, title: c.label, fields: flatten(c) })),
    });
  }
  const dritte = nodeChildren(vorgang, 'dritte');
  if (dritte.length > 0) {
    cards.push({
      id: 'dritte',
      title: { de: 'Weitere Beteiligte (Dritte)', en: 'Third parties' },
      sections: dritte.map((d, i) => ({ id: `dritte-${i + 1}`, title: { de: thirdPartyTitle(d), en: thirdPartyTitle(d) }, fields: flatten(d) })),
    });
  }
  cards.push(documentsCard(documents));
  return cards;
}

function genericCards(tree: TreeNode, base: ViewBase, documents: readonly DocumentView[]): SummaryCard[] {
  const fields: Field[] = [
    { id: tree.id, label: { de: 'Nachricht (Wurzelelement)', en: 'Message (root element)' }, value: formatValue(base.rootName, undefined) },
    { id: `${tree.id}/@xmlns`, label: { de: 'Namensraum', en: 'Namespace' }, value: formatValue(base.namespace, undefined) },
  ];
  const add = (id: string, de: string, en: string, v: string | undefined) => {
    if (v) fields.push({ id, label: { de, en }, value: formatValue(v, undefined) });
  };
  // ids of the tree nodes the values come from, so the full list does not repeat them
  const ident = findNode(tree, 'identifikation.nachricht');
  const idOf = (local: string, fallback: string) => (local.startsWith('@') ? `${tree.id}/${local}` : (findNode(ident, local)?.id ?? fallback));
  add(idOf('@standard', ''), 'Standard', 'Standard', base.standard);
  add(idOf('@version', ''), 'Version', 'Version', base.version);
  add(idOf('nachrichtentyp', `${tree.id}/@nachrichtentyp`), 'Nachrichtentyp', 'Message type', base.messageType);
  add(idOf('nachrichtenUUID', `${tree.id}/@nachrichtenUUID`), 'Nachrichten-ID', 'Message ID', base.messageId);
  if (base.createdAt) fields.push({ id: idOf('erstellungszeitpunkt', `${tree.id}/@erstellungszeitpunkt`), label: { de: 'Erstellungszeitpunkt', en: 'Created at' }, value: base.createdAt });
  if (base.test) fields.push({ id: `${tree.id}/@test`, label: { de: 'Testnachricht', en: 'Test message' }, value: { kind: 'boolean', display: 'Ja', raw: 'true' } });
  const cards: SummaryCard[] = [{ id: 'nachricht', title: { de: 'Nachricht', en: 'Message' }, sections: [{ id: 'nachricht', title: { de: 'Nachricht', en: 'Message' }, fields }] }];
  if (documents.length > 0) cards.push(documentsCard(documents));
  return cards;
}

function documentsCard(documents: readonly DocumentView[]): SummaryCard {
  const fields: Field[] = documents.map((d) => ({ id: d.treeId, label: { de: d.name, en: d.name }, value: documentValue(d) }));
  return {
    id: 'dokumente',
    title: { de: `Dokumente (${documents.length})`, en: `Documents (${documents.length})` },
    sections: [{ id: 'dokumente', title: { de: 'Dokumente', en: 'Documents' }, fields }],
  };
}

function personSections(person: TreeNode, prefix: string): CardSection[] {
  const personal: Field[] = [];
  const groups: CardSection[] = [];
  for (const c of person.children) {
    const local = localOf(c.name);
    if (c.value) personal.push({ id: c.id, label: c.label, value: c.value });
    else if (local === 'allgemein') personal.push(...flatten(c));
    else groups.push({ id: `${prefix}-${local}-${groups.length + 1}`, title: groupTitle(c), fields: flatten(c) });
  }
  return [{ id: `${prefix}-angaben`, title: { de: 'Persönliche Angaben', en: 'Personal details' }, fields: personal }, ...groups];
}

function groupTitle(node: TreeNode): Label {
  const index = /\[(\d+)\]$/.exec(node.id)?.[1];
  return index ? { de: `${node.label.de} ${index}`, en: `${node.label.en} ${index}` } : node.label;
}

/**
 * Every value below a node, labelled by its own label (the parent's label is prefixed where labels repeat). A name
 * given twice under one parent, as text and as a reference to the person it names (kontoinhaber "Erika Weiß" and
 * kontoinhaberPersonID P1, both "Kontoinhaber/in"; the person's name may carry a title the text leaves out) is one
 * field: the reference, covering the text's id.
 */
function flatten(node: TreeNode): Field[] {
  const collected: Array<Field & { parentLabel: Label; parentId: string }> = [];
  const visit = (n: TreeNode, parent: TreeNode, parentLabel: Label) => {
    if (n.value) {
      collected.push({ id: n.id, label: n.label, value: n.value, parentLabel, parentId: parent.id });
      return;
    }
    for (const c of n.children) visit(c, n, groupTitle(n));
  };
  for (const c of node.children) visit(c, node, node.label);
  const norm = (x: string) => x.normalize('NFC').replace(/\s+/g, ' ').trim();
  // the reference's name is the text, or the text with what comes before it (an academic title: "Dr. Søren …")
  const sameName = (written: string, name: string) => norm(written) !== '' && (norm(name) === norm(written) || norm(name).endsWith(` ${norm(written)}`));
  const covered = new Map<string, string[]>();
  const dropped = new Set<string>();
  for (const ref of collected) {
    if (ref.value.kind !== 'reference') continue;
    const suffix = ` (${ref.value.raw})`;
    const name = ref.value.display.endsWith(suffix) ? ref.value.display.slice(0, -suffix.length) : ref.value.display;
    const twin = collected.find(
      (t) => t.parentId === ref.parentId && t.value.kind === 'text' && t.label.de === ref.label.de && !dropped.has(t.id) && sameName(t.value.raw, name),
    );
    if (!twin) continue;
    dropped.add(twin.id);
    covered.set(ref.id, [...(covered.get(ref.id) ?? []), twin.id]);
  }
  const out = collected
    .filter((f) => !dropped.has(f.id))
    .map(({ parentId: _parent, ...f }) => (covered.has(f.id) ? { ...f, covers: covered.get(f.id)! } : f));
  const counts = new Map<string, number>();
  for (const f of out) counts.set(f.label.de, (counts.get(f.label.de) ?? 0) + 1);
  return out.map(({ parentLabel, ...f }) =>
    (counts.get(f.label.de) ?? 0) > 1 && parentLabel.de !== f.label.de
      ? { ...f, label: { de: `${parentLabel.de} › ${f.label.de}`, en: `${parentLabel.en} › ${f.label.en}` } }
      : f,
  );
}

function personTitle(p: TreeNode): string {
  const name = nameFromNode(p);
  const relation = nodeChild(p, 'beziehungZumAntragsteller')?.value?.code?.text;
  return relation ? `${name} (${relation})` : name;
}

function thirdPartyTitle(d: TreeNode): string {
  const name = nameFromNode(d);
  const typ = nodeChild(d, 'dritteTyp')?.value?.display;
  return typ ? `${name} – Art: ${typ}` : name;
}

function nameFromNode(n: TreeNode): string {
  const natural = findNode(n, 'nameNatuerlichePerson');
  if (natural) {
    const parts = ['titel', 'vorname', 'familienname']
      .map((k) => nodeChild(natural, k))
      .map((c) => (c?.value ? (c.value.kind === 'empty' ? '' : c.value.raw) : c?.children.map((x) => (x.value?.kind === 'empty' ? '' : (x.value?.raw ?? ''))).join(' ') ?? ''))
      .filter((s) => s.trim() !== '');
    if (parts.length > 0) return parts.join(' ');
  }
  const org = findNode(n, 'nichtNatuerlichePerson');
  const orgName = nodeChild(org, 'name')?.value?.raw;
  return orgName || n.label.de;
}

function pushField(fields: Field[], node: TreeNode | undefined, label?: Label): void {
  if (node?.value) fields.push({ id: node.id, label: label ?? node.label, value: node.value });
}

// ---------------------------------------------------------------------------------------------------------------
// small helpers over the raw tree and the view tree

export function child(el: RawElement | undefined, local: string): RawElement | undefined {
  return el?.children.find((c) => c.local === local);
}

export function children(el: RawElement | undefined, local: string): RawElement[] {
  return el ? el.children.filter((c) => c.local === local) : [];
}

export function text(el: RawElement | undefined): string {
  return el ? el.text.trim() : '';
}

function attr(el: RawElement, local: string): string | undefined {
  return el.attributes.find((a) => a.local === local && a.ns === '')?.value;
}

function findDescendant(el: RawElement | undefined, local: string): RawElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.local === local) return c;
    const deeper = findDescendant(c, local);
    if (deeper) return deeper;
  }
  return undefined;
}

function localOf(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function nodeChild(n: TreeNode | undefined, local: string): TreeNode | undefined {
  return n?.children.find((c) => localOf(c.name) === local);
}

function nodeChildren(n: TreeNode | undefined, local: string): TreeNode[] {
  return n ? n.children.filter((c) => localOf(c.name) === local) : [];
}

function findNode(n: TreeNode | undefined, local: string): TreeNode | undefined {
  if (!n) return undefined;
  for (const c of n.children) {
    if (localOf(c.name) === local) return c;
    const deeper = findNode(c, local);
    if (deeper) return deeper;
  }
  return undefined;
}
