/**
 * Code texts: which list and version a code element belongs to, and its text there. Two kinds of lists:
 *  - shipped with the program (resources/codelists/*.json), each with the public source it was taken from; an
 *    entry without codes only says which element paths a list is fixed to by the schema (the message then names
 *    no listURI) — its texts must come from IT;
 *  - imported by local IT from Genericode files (genericode.ts; Settings, the policy folder, `postfach codelists
 *    import`), kept in the store, several versions side by side.
 *
 * The rule (DESIGN.md "Code lists"): the version the message names (listURI + listVersionID) wins; a message
 * that names no version gets the newest version loaded, with a visible note saying so; a named version that is not
 * loaded gives no text — the code is shown with its list and version, "Code 6070 (Liste …, Version …)". Texts are
 * never guessed, and never taken from another list.
 */
import type { CodeListData } from './genericode.js';
import { listResourceFiles, readResourceJson } from './resources.js';

export interface CodeList {
  readonly listURI: string;
  readonly listVersionID: string;
  readonly name: string;
  /** bundled: shipped (resources/codelists) · imported: loaded by IT (store). */
  readonly origin: 'bundled' | 'imported';
  /** Where the texts come from: the cited public source (bundled) or the imported file's name. */
  readonly source: string;
  readonly codes: Readonly<Record<string, string>>;
}

/** A shipped file in resources/codelists. */
interface BundledFile {
  readonly listURI: string;
  readonly listVersionID: string;
  readonly name: { readonly de: string; readonly en: string };
  readonly source: string;
  /** Element path suffixes whose list is fixed by the schema (instances then carry no listURI). */
  readonly appliesTo: readonly string[];
  readonly aliases?: readonly string[];
  readonly codes: Readonly<Record<string, string>>;
}

let bundledFiles: BundledFile[] | undefined;

function bundled(): BundledFile[] {
  if (!bundledFiles) bundledFiles = listResourceFiles('codelists', '.json').map((f) => readResourceJson('codelists', f) as BundledFile);
  return bundledFiles;
}

/** The shipped lists that carry texts (descriptors without codes are not lists of their own). */
export function bundledCodeLists(): readonly CodeList[] {
  return bundled()
    .filter((f) => Object.keys(f.codes).length > 0)
    .map((f) => ({ listURI: f.listURI, listVersionID: f.listVersionID, name: f.name.de, origin: 'bundled' as const, source: f.source, codes: f.codes }));
}

/** An imported list as the registry uses it. */
export function importedCodeList(data: Pick<CodeListData, 'listURI' | 'listVersionID' | 'name' | 'codes'>, fileName: string): CodeList {
  return { listURI: data.listURI, listVersionID: data.listVersionID, name: data.name, origin: 'imported', source: fileName, codes: data.codes };
}

/** "3" < "10", "2021-02-19" < "2024-08-01", "1.2" < "1.10". */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** What a code element resolves to. */
export interface CodeResolution {
  /** The list the code belongs to (named by the message, or fixed for its element path). */
  readonly listURI?: string;
  /** The version named by the message, else the version whose text is used. */
  readonly listVersionID?: string;
  /** The text (absent when no loaded list has one for this code and version). */
  readonly text?: string;
  /** The message names no version: the text is from the newest version loaded. */
  readonly newestUsed?: boolean;
}

export class CodeListRegistry {
  private readonly byUri = new Map<string, CodeList[]>();

  /** `lists`: imported lists; the shipped ones are always there (an imported list of the same version wins). */
  constructor(imported: readonly CodeList[] = []) {
    const add = (list: CodeList): void => {
      // a list without URI is known by its element path only (listFor), not as a version of anything
      if (list.listURI === '') return;
      const versions = this.byUri.get(list.listURI) ?? [];
      if (!versions.some((v) => v.listVersionID === list.listVersionID)) versions.push(list);
      versions.sort((a, b) => compareVersions(b.listVersionID, a.listVersionID));
      this.byUri.set(list.listURI, versions);
    };
    imported.forEach(add);
    bundledCodeLists().forEach(add);
  }

  /** Every loaded list, newest version first per list (for "Über das Programm" and `codelists list`). */
  all(): readonly CodeList[] {
    return [...[...this.byUri.values()].flat(), ...bundledCodeLists().filter((l) => l.listURI === '')];
  }

  /** The list URI for a code element: its own listURI (an alias resolved), else the one its path is fixed to. */
  listFor(listUri: string | undefined, path: readonly string[]): { readonly uri: string; readonly fixedCodes?: Readonly<Record<string, string>> } | undefined {
    const files = bundled();
    if (listUri) return { uri: files.find((f) => f.aliases?.includes(listUri))?.listURI ?? listUri };
    const joined = path.join('/');
    const fixed = files.find((f) => f.appliesTo.some((suffix) => joined === suffix || joined.endsWith(`/${suffix}`)));
    if (fixed === undefined) return undefined;
    return fixed.listURI === '' ? { uri: '', fixedCodes: fixed.codes } : { uri: fixed.listURI };
  }

  resolve(code: string, listUri: string | undefined, listVersionId: string | undefined, path: readonly string[]): CodeResolution {
    const target = this.listFor(listUri, path);
    if (target === undefined) return {};
    if (target.fixedCodes !== undefined) {
      // a list known only by its element path (its URI is not public): its texts, no version to match
      const text = Object.hasOwn(target.fixedCodes, code) ? target.fixedCodes[code] : undefined;
      return text ? { text } : {};
    }
    const versions = this.byUri.get(target.uri) ?? [];
    const named = listVersionId?.trim();
    if (named) {
      const exact = versions.find((v) => v.listVersionID === named);
      const text = exact && Object.hasOwn(exact.codes, code) ? exact.codes[code] : undefined;
      return { listURI: target.uri, listVersionID: named, ...(text ? { text } : {}) };
    }
    const newest = versions[0];
    if (newest === undefined) return { listURI: target.uri };
    const text = Object.hasOwn(newest.codes, code) ? newest.codes[code] : undefined;
    return text ? { listURI: target.uri, listVersionID: newest.listVersionID, text, newestUsed: true } : { listURI: target.uri };
  }
}

let shippedOnly: CodeListRegistry | undefined;

/** The registry of the shipped lists alone (where no store is at hand: inspect, tests, the generator). */
export function shippedCodeLists(): CodeListRegistry {
  if (!shippedOnly) shippedOnly = new CodeListRegistry();
  return shippedOnly;
}
