/**
 * An XSD bundle that a municipality loads itself (e.g. from its onboarding package): labels from the schemas'
 * xs:documentation, and optional validation with libxml2 (WebAssembly). Offline by construction: schemas are
 * resolved only inside the bundle (by file name), every other location — http(s) included — fails; nothing is
 * ever fetched. The XSozial-basis schemas are not public, so none are bundled with the program.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError } from '../errors.js';
import type { XsdLabels } from './labels.js';
import { toByteSource, type XmlSource } from './source.js';
import { parseXmlSource, type RawElement } from './xml-stream.js';

const XS = 'http://www.w3.org/2001/XMLSchema';
const MAX_SCHEMA_BYTES = 20 * 1024 * 1024;
/** Validation parses the whole message in memory (libxml2): larger messages are not validated. */
export const MAX_VALIDATION_BYTES = 64 * 1024 * 1024;

export interface XsdBundle {
  /** File name (without folders) → bytes. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly labels: XsdLabels;
}

export interface ValidationIssue {
  readonly line: number;
  readonly column: number;
  /** libxml2's message (English; names elements and types, never values). */
  readonly message: string;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly schema: string;
  readonly issues: readonly ValidationIssue[];
}

function bundleError(detail: string): PostfachError {
  return new PostfachError(
    'xsd-bundle',
    {
      de: 'Das XSD-Paket kann nicht verwendet werden (Datei fehlt, ist beschädigt oder verweist auf Schemas außerhalb des Pakets).',
      en: 'The XSD bundle cannot be used (a file is missing or damaged, or it refers to schemas outside the bundle).',
    },
    detail,
  );
}

/** Reads every *.xsd below `folder`; labels come from xs:element/@name with a short xs:documentation. */
export async function loadXsdBundle(folder: string): Promise<XsdBundle> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 6) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xsd')) {
        if ((await stat(full)).size > MAX_SCHEMA_BYTES) throw bundleError(`schema larger than ${MAX_SCHEMA_BYTES} bytes`);
        files.set(entry.name, await readFile(full));
      }
    }
  };
  try {
    await walk(folder, 0);
  } catch (error) {
    if (error instanceof PostfachError) throw error;
    throw bundleError(`cannot read the bundle folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (files.size === 0) throw bundleError('no .xsd file in the folder');
  const labels = new Map<string, string>();
  for (const bytes of files.values()) {
    const { root } = await parseXmlSource(toByteSource(bytes));
    collectLabels(root, labels);
  }
  return { files, labels };
}

function collectLabels(el: RawElement, labels: Map<string, string>): void {
  if (el.ns === XS && el.local === 'element') {
    const name = el.attributes.find((a) => a.local === 'name')?.value;
    const doc = el.children.find((c) => c.ns === XS && c.local === 'annotation')?.children.find((c) => c.ns === XS && c.local === 'documentation');
    const text = doc?.text.trim().replace(/\s+/g, ' ');
    // only a short, one-phrase documentation works as a label; longer texts are explanations
    if (name && text && text.length <= 60 && !labels.has(name)) labels.set(name, text.replace(/\.$/, ''));
  }
  for (const c of el.children) collectLabels(c, labels);
}

/**
 * Validates a message against `schema` (a file name in the bundle; default: the schema whose targetNamespace is
 * the message's namespace). The message is first read by the hardened reader, so DOCTYPEs and entity tricks never
 * reach libxml2.
 */
export async function validateWithXsd(source: XmlSource, bundle: XsdBundle, schema?: string): Promise<ValidationResult> {
  const bytes = toByteSource(source);
  if (bytes.size > MAX_VALIDATION_BYTES) throw bundleError(`message of ${bytes.size} bytes is larger than the validation limit of ${MAX_VALIDATION_BYTES}`);
  const { root } = await parseXmlSource(bytes);
  const schemaName = schema ?? (await schemaFor(root.ns, bundle));
  if (!schemaName || !bundle.files.has(schemaName)) throw bundleError(`no schema in the bundle for the namespace of the message`);
  const parts: Uint8Array[] = [];
  for await (const chunk of bytes.stream()) parts.push(chunk);
  const instance = Buffer.concat(parts);

  const lib = await import('libxml2-wasm');
  const noNetwork = lib.ParseOption.XML_PARSE_NONET | lib.ParseOption.XML_PARSE_NO_XXE;
  const handles = new Map<number, { data: Buffer; offset: number }>();
  let next = 1;
  lib.xmlRegisterInputProvider({
    // every location goes through here, so libxml2 never opens a file or URL on its own
    match: () => true,
    open: (filename: string) => {
      // resolved by file name inside the bundle (an offline catalog), whatever the location says
      const data = bundle.files.get(path.posix.basename(filename.replace(/\\/g, '/')));
      if (!data) return undefined;
      handles.set(next, { data, offset: 0 });
      return next++;
    },
    read: (fd: number, buf: Uint8Array) => {
      const h = handles.get(fd);
      if (!h) return -1;
      const n = Math.min(buf.byteLength, h.data.length - h.offset);
      buf.set(h.data.subarray(h.offset, h.offset + n));
      h.offset += n;
      return n;
    },
    close: (fd: number) => handles.delete(fd),
  });
  try {
    let schemaDoc;
    let validator;
    try {
      schemaDoc = lib.XmlDocument.fromBuffer(bundle.files.get(schemaName)!, { url: `bundle://${schemaName}`, option: noNetwork });
      validator = lib.XsdValidator.fromDoc(schemaDoc);
    } catch (error) {
      throw bundleError(`schema ${schemaName} cannot be compiled: ${firstDetail(error)}`);
    }
    const doc = lib.XmlDocument.fromBuffer(instance, { option: noNetwork });
    try {
      validator.validate(doc);
      return { valid: true, schema: schemaName, issues: [] };
    } catch (error) {
      if (!(error instanceof lib.XmlValidateError)) throw error;
      return {
        valid: false,
        schema: schemaName,
        issues: error.details.map((d) => ({ line: d.line, column: d.col ?? 0, message: d.message.trim() })),
      };
    } finally {
      doc.dispose();
      validator.dispose();
      schemaDoc.dispose();
    }
  } finally {
    lib.xmlCleanupInputProvider();
  }
}

async function schemaFor(namespace: string, bundle: XsdBundle): Promise<string | undefined> {
  for (const [name, bytes] of bundle.files) {
    const { root } = await parseXmlSource(toByteSource(bytes), { stopAfter: () => true });
    if (root.attributes.find((a) => a.local === 'targetNamespace')?.value === namespace) return name;
  }
  return undefined;
}

function firstDetail(error: unknown): string {
  const details = (error as { details?: Array<{ message: string }> }).details;
  return (details?.[0]?.message ?? (error instanceof Error ? error.message : String(error))).trim().slice(0, 300);
}
