/**
 * The contract carries codes and the facts their words need, not finished words (issue 11): no output or event
 * schema of the contract has a German/English pair or a `words` field, except the few listed below, each with why.
 * Found by walking every zod schema of every method's output and every event's payload, so a new DTO that ships
 * sentences fails here instead of slipping through.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '../../core/api/contract.js';

/**
 * Places that still carry words, each named by method/event and path. Errors are not DTOs: a PostfachError is a
 * kind with German and English words for the caseworker by design (core/errors.ts), so its JSON form is left out.
 */
const EXPIRY = "the mailbox certificate's expiry sentence (the tray in Electron main says it and has no office-time formatter or zone yet): next step of issue 11";
const LOCK = 'why a setting is locked (policy or machine file): a code `source` is beside it; the words move to the renderer and CLI next';
const VIEW = "the XSozial view model (xsozial-view): labels, flags and notes of the delivered application's fields in both languages by design (labels files, XSD annotations)";
const PROBLEM =
  "a document's problem in words: the view model's flag for an inline document (core/xsozial), the type mismatch of an attachment (core/mailbox/document-files.ts); `mimeMismatch` and `detectedMimeType` are beside it";

const SETTING = 'the title of a setting from the settings declaration (core/config), in both languages; its `key` is beside it';

/** Where a field still carries words: an exact path, or every path under a prefix ending in "." (the view model). */
const STILL_WORDS: ReadonlyMap<string, string> = new Map([
  ['config.get.settings[].lockReason', LOCK],
  ['config.get.settings[].title', SETTING],
  ['trust.add.list.lockReason', LOCK],
  ['trust.list.lockReason', LOCK],
  ['trust.remove.list.lockReason', LOCK],
  ['fetch.finished.expiry.text', EXPIRY],
  ['identity.get.identity.expiry.text', EXPIRY],
  ['identity.setup.expiry.text', EXPIRY],
  ['identity.updateConnection.expiry.text', EXPIRY],
  ['mailbox.fetch.expiry.text', EXPIRY],
  ['rotation.run.fetch.expiry.text', EXPIRY],
  ['messages.detail.documents[].problem', PROBLEM],
  ['messages.detail.view.', VIEW],
  ['messages.value.', VIEW],
]);

const listed = (at: string, entry: string): boolean => (entry.endsWith('.') ? at.startsWith(entry) : at === entry);

/** Every object path in `schema` that is a {de, en} pair or a field called `words`. */
function wordFields(schema: z.ZodType, at: string, found: string[], seen: ReadonlySet<z.ZodType> = new Set()): void {
  // `seen`: the schemas on the way down (a lazy schema may contain itself); a schema used in several places is
  // walked at each of them
  if (seen.has(schema)) return;
  seen = new Set(seen).add(schema);
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const keys = Object.keys(shape);
    if (keys.includes('de') && keys.includes('en')) found.push(at);
    // a PostfachError as JSON (kind, German and English words, detail): words by design, not a DTO
    if (keys.includes('kind') && keys.includes('message') && keys.includes('detail')) return;
    for (const key of keys) {
      if (key === 'words') found.push(`${at}.words`);
      wordFields(shape[key]!, `${at}.${key}`, found, seen);
    }
    return;
  }
  if (schema instanceof z.ZodArray) return wordFields(schema.element as z.ZodType, `${at}[]`, found, seen);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault || schema instanceof z.ZodReadonly) {
    return wordFields(schema.unwrap() as z.ZodType, at, found, seen);
  }
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as readonly z.ZodType[]) wordFields(option, at, found, seen);
    return;
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    for (const option of schema.options as readonly z.ZodType[]) wordFields(option, at, found, seen);
    return;
  }
  if (schema instanceof z.ZodIntersection) {
    wordFields(schema.def.left as z.ZodType, at, found, seen);
    wordFields(schema.def.right as z.ZodType, at, found, seen);
    return;
  }
  if (schema instanceof z.ZodRecord) return wordFields(schema.valueType as z.ZodType, `${at}{}`, found, seen);
  if (schema instanceof z.ZodTuple) {
    (schema.def.items as readonly z.ZodType[]).forEach((item, i) => wordFields(item, `${at}[${i}]`, found, seen));
    return;
  }
  if (schema instanceof z.ZodLazy) return wordFields(schema.def.getter() as z.ZodType, at, found, seen);
  if (schema instanceof z.ZodPipe) return wordFields(schema.def.out as z.ZodType, at, found, seen);
}

function allWordFields(): string[] {
  const found: string[] = [];
  for (const [name, spec] of Object.entries(contract.methods)) wordFields(spec.output as z.ZodType, name, found);
  for (const [name, spec] of Object.entries(contract.events)) wordFields(spec.payload as z.ZodType, name, found);
  return [...new Set(found)].sort();
}

describe('the contract carries codes, not words', () => {
  it('no DTO carries a German/English pair or a words field (beyond the listed ones)', () => {
    const found = allWordFields();
    expect(found.filter((at) => ![...STILL_WORDS.keys()].some((entry) => listed(at, entry)))).toEqual([]);
    // a listed place that no longer carries words leaves the list
    expect([...STILL_WORDS.keys()].filter((entry) => !found.some((at) => listed(at, entry)))).toEqual([]);
  });

  it('the walk finds such a field where one is (the test can fail)', () => {
    const found: string[] = [];
    const dto = z.strictObject({ code: z.string(), nested: z.array(z.strictObject({ words: z.strictObject({ de: z.string(), en: z.string() }) })).optional() });
    wordFields(dto, 'example', found);
    expect(found).toEqual(['example.nested[].words', 'example.nested[].words']);
  });

  it('the evidence DTOs are among the walked schemas and carry codes', () => {
    // the contract's named schemas are built at their first use (z.lazy): unwrap() gives the object inside
    const detail = contract.methods['messages.detail'].output.unwrap();
    const signature = detail.shape.signatures.element.unwrap();
    expect(Object.keys(signature.shape)).toEqual(expect.arrayContaining(['result', 'certificate', 'revocation', 'reasons']));
    expect(Object.keys(detail.shape.inspections.element.unwrap().shape)).toContain('verdict');
    expect(Object.keys(contract.methods['messages.list'].output.unwrap().shape.items.element.unwrap().shape)).toContain('unreadableKind');
  });
});
