/**
 * Turns the parsed element tree into the view model: the full labelled tree for every message, summary cards for
 * recognised XSozial-basis applications, and the inline documents as attachments.
 */
import { formatPersonName, type PersonName } from './person-names.js';
import { shippedCodeLists, type CodeListRegistry } from './codelists.js';
import { createLabelSource, type LabelSource, type XsdLabels } from './labels.js';
import { declaredType, detectMimeType, mimeTypesAgree } from './magic.js';
import { EMPTY_DISPLAY, formatValue, type DisplayValue } from './values.js';
import { addressBlock } from './address.js';
import { applicationCards, documentValue, genericCards } from './cards.js';
import type { BenefitSummary, DeliveryKind, DeliveryView, DocumentView, Field, TreeNode } from './view.js';
import type { RawElement } from './xml-stream.js';

export const XSOZIAL_NAMESPACE_PREFIX = 'https://portalverbund.d-nrw.de/efa/XSozial-basis/';

export interface BuildOptions {
  readonly xsdLabels?: XsdLabels;
  /** The code lists to take texts from (default: the shipped lists alone). */
  readonly codeLists?: CodeListRegistry;
  /** Persons as "Nachname, Vorname" (default) or "Vorname Nachname" in titles, references and `applicants`. */
  readonly familyNameFirst?: boolean;
}

interface Reference {
  /** As written in a sentence ("Erika Musterfrau"): compared with names written as text beside the reference. */
  readonly natural: string;
  /** As the program shows names (the setting). */
  readonly shown: string;
}

interface Context {
  readonly labels: LabelSource;
  readonly codeLists: CodeListRegistry;
  /** Local id (personID, dritteID, ...) → name of what it identifies. */
  readonly references: ReadonlyMap<string, Reference>;
  readonly documents: DocumentView[];
  readonly documentIds: Set<string>;
  readonly familyFirst: boolean;
}

export function buildView(root: RawElement, sourceSize: number, options: BuildOptions = {}): DeliveryView {
  const codeLists = options.codeLists ?? shippedCodeLists();
  const familyFirst = options.familyNameFirst ?? true;
  const ctx: Context = {
    labels: createLabelSource(options.xsdLabels),
    codeLists,
    references: collectReferences(root, codeLists, familyFirst),
    documents: [],
    documentIds: new Set(),
    familyFirst,
  };
  const tree = buildNode(root, [root.local], root.local, [], ctx);
  const facts = headerFacts(root, codeLists);
  const kind = classify(root);
  const applicantNames = kind === 'xsozial-application' ? applicantNamesOf(root, codeLists) : [];
  const base = {
    kind,
    namespace: root.ns,
    rootName: root.name,
    ...facts,
    applicants: applicantNames.map((n) => formatPersonName(n, familyFirst)).filter((n) => n !== ''),
    applicantNames,
    tree,
    documents: ctx.documents,
    sourceSize,
  };
  const cardContext = { familyFirst, naturalName: (id: string) => ctx.references.get(id)?.natural };
  const cards = kind === 'xsozial-application' ? applicationCards(tree, base, cardContext) : genericCards(tree, base, ctx.documents);
  return { ...base, cards };
}

// ---------------------------------------------------------------------------------------------------------------
// classification and header facts

export function classify(root: RawElement): DeliveryKind {
  if (root.ns.startsWith(XSOZIAL_NAMESPACE_PREFIX) && child(child(root, 'xsozial'), 'vorgang')) return 'xsozial-application';
  const looksXoev = attr(root, 'standard') !== undefined || /\.\d{4,}$/.test(root.local) || root.children.some((c) => c.local.startsWith('nachrichtenkopf'));
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

export function headerFacts(root: RawElement, codeLists: CodeListRegistry = shippedCodeLists()): HeaderFacts {
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
  if (typ || facts.product) set('benefit', benefitOf(typ, facts.product, codeLists));
  return facts;
}

function benefitOf(typ: RawElement | undefined, product: string | undefined, codeLists: CodeListRegistry): BenefitSummary {
  const value = typ ? codeValue(typ, ['vorgang', 'vorgangsTyp'], codeLists) : undefined;
  const code = value?.code?.code;
  const textFromList = value?.code?.text;
  const text = textFromList ?? product;
  const display = text && code ? `${text} (${code})` : (text ?? code ?? '');
  return { ...(code ? { code } : {}), ...(text ? { text } : {}), display };
}

/** The persons marked antragsteller (the first person where none is marked). */
function applicantElements(root: RawElement): RawElement[] {
  const persons = children(child(child(root, 'xsozial'), 'vorgang'), 'person');
  const flagged = persons.filter((p) => text(child(p, 'antragsteller')) === 'true' || text(child(p, 'antragsteller')) === '1');
  return flagged.length > 0 ? flagged : persons.slice(0, 1);
}

/** The names of the applicants in their parts (family, given, title). */
export function applicantNamesOf(root: RawElement, codeLists: CodeListRegistry = shippedCodeLists()): PersonName[] {
  return applicantElements(root)
    .map((p) => nameParts(p, codeLists))
    .filter((n) => n.family !== '' || n.given !== '');
}

/** Names of the applicants as "Vorname Nachname" (the form kept for the full-text search). */
export function applicantNames(root: RawElement): string[] {
  return applicantNamesOf(root)
    .map((n) => formatPersonName(n, false))
    .filter((n) => n !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// local ids → names

function collectReferences(root: RawElement, codeLists: CodeListRegistry, familyFirst: boolean): Map<string, Reference> {
  const refs = new Map<string, Reference>();
  const visit = (el: RawElement) => {
    const idChild = el.children.find((c) => c.local === `${el.local}ID` && c.children.length === 0);
    const id = text(idChild);
    if (id) {
      const name = nameParts(el, codeLists);
      const natural = formatPersonName(name, false);
      if (natural && !refs.has(id)) refs.set(id, { natural, shown: formatPersonName(name, familyFirst) });
    }
    el.children.forEach(visit);
  };
  visit(root);
  return refs;
}

/**
 * A readable name for a person, third party, document or benefit entry, in its parts: a natural person's family
 * and given names and title; otherwise the organisation's, the entry's own name or its code text as `family`.
 */
export function nameParts(el: RawElement, codeLists: CodeListRegistry = shippedCodeLists()): PersonName {
  const natural = findDescendant(el, 'nameNatuerlichePerson');
  if (natural) {
    const family = names(child(natural, 'familienname'));
    const given = names(child(natural, 'vorname'));
    const title = text(child(natural, 'titel'));
    if (family !== '' || given !== '') return { family, given, ...(title ? { title } : {}) };
  }
  const org = findDescendant(el, 'nichtNatuerlichePerson');
  const orgName = text(child(org, 'name'));
  if (orgName) return { family: orgName, given: '' };
  const ownName = text(child(el, 'name')) || text(child(el, 'bezeichnung'));
  if (ownName) return { family: ownName, given: '' };
  const code = el.children.find(isCodeElement);
  if (code) return { family: codeValue(code, [el.local, code.local], codeLists).display, given: '' };
  return { family: '', given: '' };
}

/** A readable name as "Titel Vorname Nachname" (organisations, documents: their name). */
export function displayName(el: RawElement): string {
  return formatPersonName(nameParts(el), false);
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
  if (codeEl) return { id, name: el.name, label, value: codeValue(el, path, ctx.codeLists), attributes, children: [] };
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
  const node: TreeNode = { id, name: el.name, label, attributes, children: childNodes };
  // an address is shown and copied as one block beside its parts
  const block = el.local === 'anschrift' ? addressBlock(node) : undefined;
  return block ? { ...node, block: block.value } : node;
}

function leafValue(el: RawElement, path: readonly string[], ancestors: readonly RawElement[], ctx: Context): DisplayValue {
  const raw = el.text.trim();
  const parent = ancestors[ancestors.length - 1];
  const definesId = parent !== undefined && el.local === `${parent.local}ID`;
  if (!definesId && /ID$/.test(el.local) && raw !== '') {
    const name = ctx.references.get(raw);
    if (name) return { kind: 'reference', display: `${name.shown} (${raw})`, raw };
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

/**
 * A code element's value: "Text (Code)" where a loaded list (or the message itself, in a `name` beside the code)
 * has its text, else "Code 6070 (Liste …, Version …)" — never a text from another list or version
 * (codelists.ts). Where the message names no version and the text comes from the newest one loaded, a note says so.
 */
export function codeValue(el: RawElement, path: readonly string[], codeLists: CodeListRegistry = shippedCodeLists()): DisplayValue {
  const code = text(child(el, 'code'));
  const listURI = attr(el, 'listURI')?.trim() || undefined;
  const listVersionID = attr(el, 'listVersionID')?.trim() || undefined;
  if (code === '') return { kind: 'empty', display: EMPTY_DISPLAY, raw: '' };
  const resolved = codeLists.resolve(code, listURI, listVersionID, path);
  const fromMessage = text(child(el, 'name')) || undefined;
  const textValue = resolved.text ?? fromMessage;
  const uri = resolved.listURI ?? listURI;
  const version = resolved.listVersionID ?? listVersionID;
  const where = uri ? ` (Liste ${uri}${version ? `, Version ${version}` : ''})` : '';
  return {
    kind: 'code',
    display: textValue ? `${textValue} (${code})` : `Code ${code}${where}`,
    raw: code,
    code: {
      code,
      ...(uri ? { listURI: uri } : {}),
      ...(version ? { listVersionID: version } : {}),
      ...(textValue ? { text: textValue } : {}),
    },
    ...(resolved.newestUsed && resolved.text !== undefined
      ? {
          note: {
            de: `Die Nachricht nennt keine Version der Codeliste; Text aus Version ${resolved.listVersionID ?? ''}.`,
            en: `The message names no version of the code list; text from version ${resolved.listVersionID ?? ''}.`,
          },
        }
      : {}),
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
  const documentType = typeEl ? codeValue(typeEl, ['dokument', 'dokumentTyp'], ctx.codeLists) : undefined;
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
