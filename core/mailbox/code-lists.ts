/**
 * The code lists a mailbox uses: the shipped ones and those local IT imported into its store — by hand (Settings,
 * `postfach codelists import`) or from the folder a policy names (`codeListFolder`, read when the store opens).
 * A file is read with the hardened Genericode reader (core/xsozial/genericode.ts) and refused as a whole with a
 * German sentence when it is not a usable code list; nothing of a refused file is kept.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError, toPostfachError } from '../errors.js';
import type { CodeListSaveResult, NewCodeList, PostfachStore, ServiceStore, StoredCodeList } from '../store/index.js';
import { CodeListRegistry, importedCodeList } from '../xsozial/codelists.js';
import { codeListInvalid, MAX_CODELIST_BYTES, parseGenericode } from '../xsozial/genericode.js';

// the lists shipped with the program and the version order, for the service's list of code lists
export { bundledCodeLists, compareVersions } from '../xsozial/codelists.js';

/** Where imported lists are kept: the SQLite store (synchronous) or a store behind the asynchronous interface. */
export interface CodeListSink {
  saveCodeList(list: NewCodeList): CodeListSaveResult | Promise<CodeListSaveResult>;
}

export interface ImportedFile {
  readonly fileName: string;
  readonly listURI: string;
  readonly listVersionID: string;
  readonly name: string;
  readonly codes: number;
  readonly result: CodeListSaveResult;
}

/** Reads, checks and keeps one Genericode file. */
export async function importCodeListFile(store: CodeListSink, file: string, origin: 'import' | 'folder' = 'import'): Promise<ImportedFile> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw codeListInvalid('not a file');
    if (info.size > MAX_CODELIST_BYTES) throw codeListInvalid(`file of ${info.size} bytes is larger than ${MAX_CODELIST_BYTES}`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw new PostfachError(
      'codelist-unreadable',
      { de: 'Die Codelisten-Datei kann nicht gelesen werden.', en: 'The code list file cannot be read.' },
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return importCodeListBytes(store, bytes, path.basename(file), origin);
}

/** Checks and keeps a Genericode file given as bytes (`fileName`: its name, shown in "Über das Programm"). */
export async function importCodeListBytes(store: CodeListSink, bytes: Buffer, name: string, origin: 'import' | 'folder' = 'import'): Promise<ImportedFile> {
  const data = await parseGenericode(bytes);
  const fileName = (name.split(/[\\/]/).pop() ?? 'Codeliste.xml').slice(0, 255);
  const result = await store.saveCodeList({
    listURI: data.listURI,
    listVersionID: data.listVersionID,
    canonicalVersionUri: data.canonicalVersionUri,
    name: data.name,
    origin,
    fileName,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    codes: data.codes,
  });
  return { fileName, listURI: data.listURI, listVersionID: data.listVersionID, name: data.name, codes: Object.keys(data.codes).length, result };
}

export interface FolderImport {
  readonly imported: readonly ImportedFile[];
  /** Files that are no usable code list (named, with the reason for IT). */
  readonly refused: ReadonlyArray<{ readonly fileName: string; readonly kind: string; readonly detail: string }>;
}

/** Every *.xml in the policy folder (not its subfolders); a broken file is reported and skipped, the rest taken. */
export async function importCodeListFolder(store: CodeListSink, folder: string): Promise<FolderImport> {
  let names: string[];
  try {
    names = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && /\.xml$/i.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    return { imported: [], refused: [{ fileName: folder, kind: 'codelist-folder', detail: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})` }] };
  }
  const imported: ImportedFile[] = [];
  const refused: Array<FolderImport['refused'][number]> = [];
  for (const name of names.slice(0, 500)) {
    try {
      imported.push(await importCodeListFile(store, path.join(folder, name), 'folder'));
    } catch (error) {
      const e = toPostfachError(error);
      refused.push({ fileName: name, kind: e.kind, detail: e.detail });
    }
  }
  return { imported, refused };
}

const registries = new WeakMap<PostfachStore, { stamp: string; registry: CodeListRegistry }>();

/** The lists of a store (shipped + imported), read again only when an import changed them. */
export function codeListRegistry(store: PostfachStore): CodeListRegistry {
  const stamp = store.codeListsStamp();
  const cached = registries.get(store);
  if (cached?.stamp === stamp) return cached.registry;
  const registry = new CodeListRegistry(store.codeLists().map((l: StoredCodeList) => importedCodeList(l, l.fileName)));
  registries.set(store, { stamp, registry });
  return registry;
}

const serviceRegistries = new WeakMap<ServiceStore, { stamp: string; registry: CodeListRegistry }>();

/** The same for a store behind the asynchronous interface (the fetch engine on SQLite or PostgreSQL). */
export async function codeListRegistryOf(store: ServiceStore): Promise<CodeListRegistry> {
  const stamp = await store.codeListsStamp();
  const cached = serviceRegistries.get(store);
  if (cached?.stamp === stamp) return cached.registry;
  const registry = new CodeListRegistry((await store.codeLists()).map((l: StoredCodeList) => importedCodeList(l, l.fileName)));
  serviceRegistries.set(store, { stamp, registry });
  return registry;
}
