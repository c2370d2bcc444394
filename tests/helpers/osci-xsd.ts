/**
 * Validation of OSCI messages against the OSCI-Transport 1.2 XML schemas with the 2017 EFFI extension, as
 * published with the reference implementation (../shared/osci/xsd/, read in place, never copied), with libxml2
 * (libxml2-wasm, already a dependency for the XSozial bundles).
 *
 * What a message is validated against: each MIME part separately — the SOAP part of the transport wrapper against
 * soapMessageEncrypted.xsd, the SOAP part of the inner message against soap<MessageType>.xsd (the type named in
 * its xsi:schemaLocation, cross-checked with the order element), a fault against soapMessageFault.xsd; the
 * plaintext of an encrypted ContentContainer (a local element in the schemas) inside a ContentPackage against
 * StoreDelivery.xsd.
 *
 * Resolution is offline: every schema location is answered from the folder — the imports by relative path, the
 * W3C imports (SOAP 1.1 envelope, xml.xsd, XML-DSig, XML-Enc, XML-Enc 1.1) by the mapping of the folder's
 * catalog.xml, i.e. the copies in xsd/extern/ shipped with the reference implementation. Nothing is fetched.
 *
 * Corrections made in memory (the files stay as published). Each fixes a defect of the published schemas that
 * makes the reference implementation's own messages invalid (the test "the harness is sound" shows it on the
 * vectors); each is named here so that nothing else is silently accepted:
 *  1. Unique Particle Attribution: libxml2 enforces XSD 1.0's UPA rule, which 18 of the 26 soap<Type>.xsd
 *     violate — their Header ends with an optional osci element followed by `<xsd:any namespace="##other">`, and
 *     "##other" (relative to the SOAP target namespace) includes the osci namespace, so libxml2 refuses to compile
 *     them ("The content model is not determinist"). The wildcard is narrowed to the foreign header blocks OSCI
 *     knows: the 2017 namespace (FeatureDescription) and XTA's MessageMetaData. Stricter than published.
 *  2. `osci:procard`: ResponseToPartialStoreDelivery.xsd names its process card `procard` ("[KORR8] name von
 *     ProcessCardBundle geaendert zu procard. rein implementationsbedingt."); on the wire, in the reference
 *     implementation's writer and parser, it is osci:ProcessCardBundle (vectors/chunked/05). The declaration is
 *     renamed back, its type unchanged.
 *  3. The order echo (`osci:fetchProcessCard` in ResponseToFetchProcessCard, `osci:fetchDelivery` in
 *     ResponseToPartialFetchDelivery) is a copy of the request's order. The schemas demand at least one child
 *     with a global declaration, which rules out the empty echo of a request without rule (the reference writes
 *     it, vectors/exchange/11, chunked/08; ResponseToFetchDelivery.xsd already allows it: "[KORR6] minOccurs=0")
 *     and Quantity / RecentModification / several MessageIds (the reference copies them; only the request
 *     schemas declare them). The echo is made optional and not validated again: the request it copies is.
 *  4. ds:MgmtData: the key of an encrypted attachment travels in ds:KeyInfo/ds:MgmtData inside the container
 *     (PROTOCOL.md §6.3 step 4; the only form the reference writes and reads), which oscisig.xsd's KeyInfo
 *     restriction leaves out. Allowed as a fourth choice; it matters only for the content containers.
 * Not corrected (the reference's messages stay invalid there, ours must not copy them): a KeyInfo holding several
 * EncryptedKeys (sd10, two readers), a nested ContentContainer inside Content (sd11), EFFI responses without the
 * required osci2017:FeatureDescription (chunked/03–05, 08–10).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as lib from 'libxml2-wasm';
import { bufferSource, readAll, type ByteSource } from '../../core/io/byte-source.js';
import { readMultipart, partById } from '../../core/osci/mime/reader.js';
import { sharedRoot } from './shared.js';

export const osciXsdRoot = path.join(sharedRoot, 'osci', 'xsd');

const FOREIGN_HEADER_NAMESPACES = 'http://xoev.de/transport/osci12/7 http://www.osci.eu/ws/2014/10/transport';

/** Schema file name → bytes (extern/ by file name too); the soap<Type>.xsd header wildcards narrowed (see above). */
function loadSchemas(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const dir of [osciXsdRoot, path.join(osciXsdRoot, 'extern')]) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.xsd')) continue;
      const bytes = readFileSync(path.join(dir, name));
      const corrected = correct(name, bytes.toString('utf8'));
      files.set(name, corrected === undefined ? bytes : Buffer.from(corrected, 'utf8'));
    }
  }
  return files;
}

function replaceExactly(text: string, from: string | RegExp, to: string, times: number, file: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, 'g')) ?? []).length;
  if (count !== times) throw new Error(`schema correction for ${file} expected ${times} match(es), found ${count}: the schemas changed`);
  return typeof from === 'string' ? text.split(from).join(to) : text.replace(new RegExp(from.source, 'g'), to);
}

/** The corrections listed in the header comment; undefined = the file as published. */
function correct(name: string, text: string): string | undefined {
  if (/^soap[A-Z]/.test(name) && name !== 'soapMessageEncrypted.xsd' && name !== 'soapMessageFault.xsd') {
    return replaceExactly(text, '<xsd:any namespace="##other"', `<xsd:any namespace="${FOREIGN_HEADER_NAMESPACES}"`, 1, name);
  }
  switch (name) {
    case 'ResponseToPartialStoreDeliveryOldNS.xsd':
      return replaceExactly(text, '<xsd:element name="procard"', '<xsd:element name="ProcessCardBundle"', 1, name);
    case 'ResponseToPartialStoreDelivery.xsd':
      return replaceExactly(text, 'ref="osci:procard"', 'ref="osci:ProcessCardBundle"', 1, name);
    case 'ResponseToFetchProcessCard.xsd':
    case 'ResponseToPartialFetchDeliveryOldNS.xsd':
      return replaceExactly(
        text,
        /<xsd:any namespace="http:\/\/www\.osci\.de\/2002\/04\/osci"\s+processContents="strict"/,
        '<xsd:any namespace="http://www.osci.de/2002/04/osci" minOccurs="0" processContents="skip"',
        1,
        name,
      );
    case 'oscisig.xsd':
      return replaceExactly(text, '<xsd:element ref="ds:X509Data" />', '<xsd:element ref="ds:X509Data" /><xsd:element ref="ds:MgmtData" />', 1, name);
    default:
      return undefined;
  }
}

/** catalog.xml of the folder: namespace/location → file in extern/. */
function catalog(): Map<string, string> {
  const text = readFileSync(path.join(osciXsdRoot, 'catalog.xml'), 'utf8');
  const map = new Map<string, string>();
  for (const m of text.matchAll(/<uri\s+name="([^"]+)"\s+uri="([^"]+)"/g)) map.set(m[1]!, path.posix.basename(m[2]!));
  return map;
}

let schemas: Map<string, Buffer> | undefined;
let byLocation: Map<string, string> | undefined;
const validators = new Map<string, lib.XsdValidator>();
let providerRegistered = false;

function resolve(location: string): Buffer | undefined {
  schemas ??= loadSchemas();
  byLocation ??= catalog();
  const mapped = byLocation.get(location);
  // relative imports resolve against the including schema's URL (osci-xsd:///name.xsd); W3C locations by the catalog
  // or, where the catalog names the namespace rather than the location, by their file name
  return schemas.get(mapped ?? path.posix.basename(location.replace(/\\/g, '/')));
}

function ensureProvider(): void {
  if (providerRegistered) return;
  const handles = new Map<number, { data: Buffer; offset: number }>();
  let next = 1;
  lib.xmlRegisterInputProvider({
    match: (location) => location.startsWith('osci-xsd:') || location.startsWith('http://') || location.startsWith('https://'),
    open: (location) => {
      const data = resolve(location);
      if (!data) return undefined;
      handles.set(next, { data, offset: 0 });
      return next++;
    },
    read: (fd, buf) => {
      const h = handles.get(fd);
      if (!h) return -1;
      const n = Math.min(buf.byteLength, h.data.length - h.offset);
      buf.set(h.data.subarray(h.offset, h.offset + n));
      h.offset += n;
      return n;
    },
    close: (fd) => handles.delete(fd),
  });
  providerRegistered = true;
}

/** The compiled validator of one schema file (cached for the test file). */
export function schemaValidator(file: string): lib.XsdValidator {
  const cached = validators.get(file);
  if (cached) return cached;
  ensureProvider();
  const bytes = resolve(file);
  if (!bytes) throw new Error(`schema ${file} not found in ${osciXsdRoot}`);
  // the W3C schemas declare their entities in an internal DTD subset: substitute them; never load anything external
  const doc = lib.XmlDocument.fromBuffer(bytes, { url: `osci-xsd:///${file}`, option: lib.ParseOption.XML_PARSE_NONET | lib.ParseOption.XML_PARSE_NOENT });
  try {
    const validator = lib.XsdValidator.fromDoc(doc);
    validators.set(file, validator);
    return validator;
  } catch (error) {
    const details = (error as { details?: Array<{ message: string; level?: number }> }).details ?? [];
    throw new Error(
      `schema ${file} does not compile: ${
        details
          .filter((d) => (d.level ?? 2) > 1)
          .map((d) => d.message.trim())
          .join(' | ') || String(error)
      }`,
      { cause: error },
    );
  }
}

export interface XsdResult {
  readonly schema: string;
  /** libxml2's messages (element names and types, never values). */
  readonly errors: readonly string[];
}

/** Validates one XML document (bytes) against a schema file; returns libxml2's errors (empty = valid). */
export function validateXml(xml: Buffer | string, schemaFile: string): XsdResult {
  const validator = schemaValidator(schemaFile);
  const doc = lib.XmlDocument.fromBuffer(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'), { option: lib.ParseOption.XML_PARSE_NONET });
  try {
    validator.validate(doc);
    return { schema: schemaFile, errors: [] };
  } catch (error) {
    if (!(error instanceof lib.XmlValidateError)) throw error;
    return { schema: schemaFile, errors: error.details.map((d) => `${d.line}: ${d.message.trim()}`) };
  } finally {
    doc.dispose();
  }
}

/** The message type a SOAP envelope names in its xsi:schemaLocation (`soap<Type>.xsd`), if any. */
export function schemaTypeOf(envelope: string): string | undefined {
  return /schemaLocation="[^"]*?\bsoap([A-Za-z]+)\.xsd/.exec(envelope.slice(0, 4096))?.[1];
}

export interface MessageValidation extends XsdResult {
  /** The message type whose schema was used (`MessageEncrypted`, `MessageFault` or an OSCI message type). */
  readonly type: string;
}

/**
 * Validates the SOAP part of an OSCI MIME entity (a transport wrapper, an inner message or a fault). The schema
 * is chosen by the envelope's schemaLocation; a fault has none and goes against soapMessageFault.xsd.
 */
export async function validateOsciEntity(entity: ByteSource | Buffer): Promise<MessageValidation> {
  const source = Buffer.isBuffer(entity) ? bufferSource(entity) : entity;
  const mime = await readMultipart(source);
  const root = partById(mime, 'osci@message') ?? mime.parts[0];
  if (!root) throw new Error('MIME entity without parts');
  const xml = await readAll(await root.decoded(), 256 * 1024 * 1024);
  const text = xml.toString('utf8');
  const type = schemaTypeOf(text) ?? (/<(\w+:)?Fault[\s>]/.test(text) ? 'MessageFault' : undefined);
  if (!type) throw new Error('SOAP part without schemaLocation and not a fault');
  return { type, ...validateXml(xml, `soap${type}.xsd`) };
}

/** Validates the plaintext of an encrypted container (an osci:ContentContainer document) inside a ContentPackage. */
export function validateContainerPlaintext(plaintext: Buffer): XsdResult {
  const text = plaintext.toString('utf8').replace(/^<\?xml[^>]*\?>/, '');
  const wrapped = `<osci:ContentPackage xmlns:osci="http://www.osci.de/2002/04/osci">${text}</osci:ContentPackage>`;
  return validateXml(wrapped, 'StoreDelivery.xsd');
}
