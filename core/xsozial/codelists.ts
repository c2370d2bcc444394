/**
 * Bundled code lists (resources/codelists/*.json): list URI, version, code → German text. A code value is shown
 * as "Text (Code)" where the text is known and bare otherwise; texts are never guessed.
 */
import { listResourceFiles, readResourceJson } from './resources.js';

export interface CodeList {
  readonly listURI: string;
  readonly listVersionID: string;
  readonly name: { readonly de: string; readonly en: string };
  readonly source: string;
  /** Element path suffixes whose list is fixed by the schema (instances then carry no listURI). */
  readonly appliesTo: readonly string[];
  readonly aliases?: readonly string[];
  readonly codes: Readonly<Record<string, string>>;
}

let lists: CodeList[] | undefined;

export function bundledCodeLists(): readonly CodeList[] {
  if (!lists) lists = listResourceFiles('codelists', '.json').map((f) => readResourceJson('codelists', f) as CodeList);
  return lists;
}

/** The list for a code element: by its listURI attribute, else by the element path. */
export function findCodeList(listUri: string | undefined, path: readonly string[]): CodeList | undefined {
  const all = bundledCodeLists();
  if (listUri) {
    // a list the instance names but we do not bundle: no text rather than one from another list
    return all.find((l) => l.listURI === listUri || l.aliases?.includes(listUri));
  }
  const joined = path.join('/');
  return all.find((l) => l.appliesTo.some((suffix) => joined === suffix || joined.endsWith(`/${suffix}`)));
}
