/**
 * Reading a code list published as an OASIS Genericode 1.0 file (the form XRepository publishes XÖV code lists
 * in): CodeList/Identification (CanonicalUri, CanonicalVersionUri, Version), ColumnSet (columns and the key),
 * SimpleCodeList/Row/Value/SimpleValue. The file is read by the same hardened reader as delivered XML (no
 * DOCTYPE, UTF-8 only, depth, element and text limits), with a size cap checked before reading. Anything that is
 * not a usable code list is refused with one German sentence and a technical detail naming what is missing —
 * never half-imported.
 */
import { PostfachError } from '../errors.js';
import { toByteSource } from './source.js';
import { parseXmlSource, type RawElement } from './xml-stream.js';

export const GENERICODE_NAMESPACE = 'http://docs.oasis-open.org/codelist/ns/genericode/1.0/';

/** Code lists are small (the largest XÖV lists, municipality keys, are a few MB). */
export const MAX_CODELIST_BYTES = 32 * 1024 * 1024;
const LIMITS = { maxDepth: 32, maxElements: 1_500_000, maxTextLength: 64 * 1024, maxTotalText: 64 * 1024 * 1024 };
const MAX_CODES = 100_000;
/** Real lists have a handful of columns (code, text, a few more); every row's values are matched against them. */
const MAX_COLUMNS = 1_000;
const MAX_CODE_LENGTH = 256;
const MAX_TEXT_LENGTH = 4096;

/** One version of one code list: what the program needs to turn a code into its text. */
export interface CodeListData {
  /** Identification/CanonicalUri: what a message names as listURI. */
  readonly listURI: string;
  /** Identification/Version: what a message names as listVersionID. */
  readonly listVersionID: string;
  /** Identification/CanonicalVersionUri (e.g. "urn:de:xoev:codeliste:erreichbarkeit_3"). */
  readonly canonicalVersionUri: string;
  /** Identification/LongName, else ShortName. */
  readonly name: string;
  /** The column whose values are the codes, and the one whose values are their texts. */
  readonly keyColumn: string;
  readonly textColumn: string;
  /** Code → text (texts as published; a code without text in its row maps to ""). Look up with Object.hasOwn. */
  readonly codes: Readonly<Record<string, string>>;
}

export function codeListInvalid(detail: string): PostfachError {
  return new PostfachError(
    'codelist-invalid',
    {
      de: 'Die Datei ist keine gültige Codeliste im Genericode-Format (XRepository) und wurde nicht übernommen.',
      en: 'The file is not a valid code list in Genericode format (XRepository) and was not taken over.',
    },
    detail,
  );
}

function child(el: RawElement | undefined, local: string): RawElement | undefined {
  return el?.children.find((c) => c.local === local);
}

function children(el: RawElement | undefined, local: string): RawElement[] {
  return el ? el.children.filter((c) => c.local === local) : [];
}

function attr(el: RawElement, local: string): string | undefined {
  return el.attributes.find((a) => a.local === local && a.ns === '')?.value;
}

function required(el: RawElement | undefined, local: string, where: string): string {
  const value = child(el, local)?.text.trim() ?? '';
  if (value === '') throw codeListInvalid(`${where}/${local} missing or empty`);
  return value;
}

/** Preferred text columns, in this order (XÖV lists name it "Beschreibung" or "beschreibung"; others "name", "wert"). */
const TEXT_COLUMN_NAMES = ['beschreibung', 'name', 'wert', 'bezeichnung', 'text', 'value'];

interface Column {
  readonly id: string;
  readonly shortName: string;
  readonly required: boolean;
}

/** Parses and checks a Genericode 1.0 code list. Errors are `codelist-invalid` (or the reader's own xml-* kinds). */
export async function parseGenericode(bytes: Uint8Array): Promise<CodeListData> {
  if (bytes.length > MAX_CODELIST_BYTES) throw codeListInvalid(`file of ${bytes.length} bytes is larger than ${MAX_CODELIST_BYTES}`);
  let root: RawElement;
  try {
    ({ root } = await parseXmlSource(toByteSource(bytes), { limits: LIMITS }));
  } catch (error) {
    // the reader's German words speak of "Inhalt" (a delivery); for a code list file say so, keep its detail
    const detail = error instanceof PostfachError ? `${error.kind}: ${error.detail}` : String(error);
    throw codeListInvalid(`not readable as XML (${detail})`);
  }
  if (root.local !== 'CodeList' || root.ns !== GENERICODE_NAMESPACE) {
    throw codeListInvalid(`root element is {${root.ns}}${root.local}, expected {${GENERICODE_NAMESPACE}}CodeList`);
  }
  const ident = child(root, 'Identification');
  if (!ident) throw codeListInvalid('CodeList/Identification missing');
  const listURI = required(ident, 'CanonicalUri', 'Identification');
  const canonicalVersionUri = required(ident, 'CanonicalVersionUri', 'Identification');
  const listVersionID = required(ident, 'Version', 'Identification');
  const shortName = required(ident, 'ShortName', 'Identification');
  const name = child(ident, 'LongName')?.text.trim() || shortName;
  if (listURI.length > 1000 || canonicalVersionUri.length > 1000 || listVersionID.length > 200 || name.length > 1000) {
    throw codeListInvalid('identification values longer than allowed');
  }

  const columnSet = child(root, 'ColumnSet');
  if (!columnSet) throw codeListInvalid('CodeList/ColumnSet missing');
  const columns: Column[] = children(columnSet, 'Column').map((c, i) => {
    const id = attr(c, 'Id') ?? '';
    if (id === '') throw codeListInvalid(`ColumnSet/Column[${i + 1}] without Id`);
    return { id, shortName: child(c, 'ShortName')?.text.trim() ?? id, required: attr(c, 'Use') === 'required' };
  });
  if (columns.length < 2) throw codeListInvalid(`ColumnSet has ${columns.length} columns, a code list needs a code and a text column`);
  if (columns.length > MAX_COLUMNS) throw codeListInvalid(`ColumnSet has ${columns.length} columns, more than ${MAX_COLUMNS}`);
  // looked up once per value of every row: a set, not a search through the columns (quadratic in a hostile file)
  const columnIds = new Set(columns.map((c) => c.id));
  if (columnIds.size !== columns.length) throw codeListInvalid('ColumnSet: two columns with the same Id');
  const keyRef = ((el) => (el ? attr(el, 'Ref') : undefined))(child(children(columnSet, 'Key')[0], 'ColumnRef'));
  const keyColumn = keyRef ?? columns.find((c) => c.id.toLowerCase() === 'code' || c.shortName.toLowerCase() === 'code')?.id;
  if (keyColumn === undefined || !columnIds.has(keyColumn)) throw codeListInvalid('ColumnSet: no key column (Key/ColumnRef or a column "code")');
  const others = columns.filter((c) => c.id !== keyColumn);
  const byName = TEXT_COLUMN_NAMES.map((n) => others.find((c) => c.id.toLowerCase() === n || c.shortName.toLowerCase() === n)).find((c) => c !== undefined);
  const textColumn = (byName ?? others.find((c) => c.required) ?? others[0])!.id;

  const simple = child(root, 'SimpleCodeList');
  if (!simple) throw codeListInvalid('CodeList/SimpleCodeList missing');
  const rows = children(simple, 'Row');
  if (rows.length === 0) throw codeListInvalid('SimpleCodeList has no Row');
  if (rows.length > MAX_CODES) throw codeListInvalid(`more than ${MAX_CODES} rows`);
  const codes = new Map<string, string>();
  rows.forEach((row, r) => {
    const values = new Map<string, string>();
    children(row, 'Value').forEach((v, i) => {
      // a Value without ColumnRef takes the position of its column (Genericode allows both)
      const ref = attr(v, 'ColumnRef') ?? columns[i]?.id;
      if (ref === undefined || !columnIds.has(ref)) throw codeListInvalid(`Row ${r + 1}: Value refers to an unknown column`);
      const simpleValue = child(v, 'SimpleValue');
      if (simpleValue) values.set(ref, simpleValue.text.trim());
    });
    const code = values.get(keyColumn) ?? '';
    if (code === '') throw codeListInvalid(`Row ${r + 1}: no value in the key column ${keyColumn}`);
    if (code.length > MAX_CODE_LENGTH) throw codeListInvalid(`Row ${r + 1}: code longer than ${MAX_CODE_LENGTH} characters`);
    if (codes.has(code)) throw codeListInvalid(`Row ${r + 1}: code ${JSON.stringify(code)} appears twice`);
    codes.set(code, (values.get(textColumn) ?? '').slice(0, MAX_TEXT_LENGTH));
  });
  return { listURI, listVersionID, canonicalVersionUri, name, keyColumn, textColumn, codes: Object.fromEntries(codes) };
}
