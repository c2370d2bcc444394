/**
 * Keeps the e-file PDF free of anything active that an imported PDF brought along, and of objects nothing uses.
 *
 * An evidence PDF is taken over as its pages' content and resources only (import-pages.ts). What those can still
 * reach is walked here: entries that make a PDF act (actions, JavaScript, links and other annotations, forms and
 * XFA, embedded and external files, reference XObjects, open and close actions) are removed, and so is any
 * dictionary that is itself such a thing (an action, a file specification, an embedded file, an annotation, a page
 * or a catalog) wherever it hangs. Afterwards every object not reachable from the trailer is deleted, so the
 * copied pages' annotations and actions do not stay in the file unreferenced (inert, but virus scanners and
 * PDF/A validators of e-file systems flag such files).
 */
import { PDFArray, PDFDict, PDFName, PDFNull, PDFRef, PDFStream, type PDFContext, type PDFDocument, type PDFObject } from 'pdf-lib';

/** Keys whose values make a PDF do something or fetch something. */
const ACTIVE_KEYS = new Set(
  ['A', 'AA', 'JS', 'JavaScript', 'OpenAction', 'Annots', 'AcroForm', 'XFA', 'EmbeddedFiles', 'EF', 'RF', 'URI', 'Launch', 'Ref', 'FFilter', 'FDecodeParms', 'AF', 'Threads'].map(
    (k) => PDFName.of(k),
  ),
);

/** Object types that have no place among a page's resources. */
const FOREIGN_TYPES = new Set(['Action', 'Filespec', 'EmbeddedFile', 'Annot', 'Page', 'Pages', 'Catalog', 'Sig', 'Thread', 'Bead', 'EncryptedPayload'].map((t) => PDFName.of(t)));

/** Action types (the /S of an action dictionary, also where it lacks /Type). */
const ACTION_TYPES = new Set(
  [
    'JavaScript',
    'Launch',
    'URI',
    'GoTo',
    'GoToR',
    'GoToE',
    'GoTo3DView',
    'SubmitForm',
    'ResetForm',
    'ImportData',
    'Named',
    'Rendition',
    'Sound',
    'Movie',
    'Hide',
    'SetOCGState',
    'Trans',
    'RichMediaExecute',
    'Thread',
  ].map((t) => PDFName.of(t)),
);

const TYPE = PDFName.of('Type');
const S = PDFName.of('S');
const F = PDFName.of('F');

function dictOf(value: PDFObject | undefined): PDFDict | undefined {
  if (value instanceof PDFDict) return value;
  if (value instanceof PDFStream) return value.dict;
  return undefined;
}

/** A dictionary that is itself something active or foreign (an action, a file, an annotation, a page). */
function isForeign(dict: PDFDict): boolean {
  const type = dict.get(TYPE);
  if (type instanceof PDFName && FOREIGN_TYPES.has(type)) return true;
  const s = dict.get(S);
  return s instanceof PDFName && ACTION_TYPES.has(s);
}

/**
 * Removes everything active reachable from `start` (a page's form XObject, its resources, its group) in place.
 * A stream's /F (its data in an external file) goes too; a font's or image's own entries stay.
 * Returns the number of entries removed.
 */
export function removeActiveContent(ctx: PDFContext, start: PDFObject): number {
  let removed = 0;
  const seen = new Set<PDFObject>();
  const stack: PDFObject[] = [start];
  /** The object behind a value (references resolved); undefined for a dangling reference. */
  const resolve = (value: PDFObject): PDFObject | undefined => (value instanceof PDFRef ? ctx.lookup(value) : value);
  while (stack.length > 0) {
    const object = stack.pop()!;
    if (seen.has(object)) continue;
    seen.add(object);
    if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) {
        const target = dictOf(resolve(object.get(i)));
        if (target !== undefined && isForeign(target)) {
          object.set(i, PDFNull);
          removed++;
          continue;
        }
        const value = resolve(object.get(i));
        if (value !== undefined) stack.push(value);
      }
      continue;
    }
    const dict = dictOf(object);
    if (dict === undefined) continue;
    for (const [key, raw] of dict.entries()) {
      const value = resolve(raw);
      const target = dictOf(value);
      if (ACTIVE_KEYS.has(key) || (key === F && object instanceof PDFStream) || (target !== undefined && isForeign(target))) {
        dict.delete(key);
        removed++;
        continue;
      }
      if (value !== undefined) stack.push(value);
    }
  }
  return removed;
}

/** The tags of every indirect object reachable from the trailer (Root, Info); dangling references are not followed. */
function reachableTags(doc: PDFDocument): Set<string> {
  const ctx = doc.context;
  const reachable = new Set<string>();
  const stack: PDFObject[] = [];
  const trailer = ctx.trailerInfo;
  for (const entry of [trailer.Root, trailer.Info]) if (entry) stack.push(entry);
  while (stack.length > 0) {
    const object = stack.pop()!;
    if (object instanceof PDFRef) {
      if (reachable.has(object.tag)) continue;
      reachable.add(object.tag);
      const target = ctx.lookup(object);
      if (target !== undefined) stack.push(target);
      continue;
    }
    if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) stack.push(object.get(i));
      continue;
    }
    const dict = dictOf(object);
    if (dict !== undefined) for (const [, value] of dict.entries()) stack.push(value);
  }
  return reachable;
}

/**
 * Deletes every indirect object that is not reachable from the trailer (Root, Info). References to objects written
 * separately (the streamed XML attachment, imported pages written ahead) are followed no further. Returns the
 * number deleted.
 */
export function removeUnreachable(doc: PDFDocument): number {
  const ctx = doc.context;
  const reachable = reachableTags(doc);
  let deleted = 0;
  for (const [ref] of ctx.enumerateIndirectObjects()) {
    if (reachable.has(ref.tag)) continue;
    ctx.delete(ref);
    deleted++;
  }
  return deleted;
}

/**
 * Takes the objects numbered above `mark` (those one page import added) out of the document: the reachable ones
 * are returned for writing ahead, the unreachable ones (what the copied pages brought along and no page uses any
 * more, as removeUnreachable would find at the end) are dropped. What stays in the document refers to the taken
 * objects by number only.
 */
export function takeObjectsAbove(doc: PDFDocument, mark: number): Array<[PDFRef, PDFObject]> {
  const ctx = doc.context;
  const reachable = reachableTags(doc);
  const taken: Array<[PDFRef, PDFObject]> = [];
  for (const [ref, object] of ctx.enumerateIndirectObjects()) {
    if (ref.objectNumber <= mark) continue;
    if (reachable.has(ref.tag)) taken.push([ref, object]);
    ctx.delete(ref);
  }
  return taken;
}
