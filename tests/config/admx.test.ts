/**
 * The group-policy templates in build/policy/ are generated from the settings' declaration: the committed files
 * equal what the generator writes (run `npm run policy:generate` after changing core/config/settings.ts), they are
 * well-formed XML, and every reference between ADMX and ADML resolves. The machine file's JSON schema accepts the
 * example in docs/betrieb.md and refuses a wrong one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ADML_FILE, ADML_LANGUAGES, ADMX_FILE, generatedPolicyFiles } from '../../core/config/admx.js';
import { POLICY_KEY } from '../../core/config/policy-source.js';
import { SETTINGS } from '../../core/config/settings.js';

const policyDir = path.resolve('build/policy');

function parse(text: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(text, 'text/xml');
  expect(errors).toEqual([]);
  return doc;
}

const all = (doc: Document | Element, name: string): Element[] => Array.from(doc.getElementsByTagName(name));

describe('ADMX/ADML templates', () => {
  const generated = generatedPolicyFiles();

  it('the committed files equal the generated ones', () => {
    for (const [name, text] of Object.entries(generated)) {
      expect(readFileSync(path.join(policyDir, name), 'utf8'), `build/policy/${name} is stale: npm run policy:generate`).toBe(text);
    }
  });

  it('are well-formed XML and every reference resolves', () => {
    const admx = parse(generated[ADMX_FILE] as string);
    const policies = all(admx, 'policy');
    expect(policies.map((p) => p.getAttribute('name'))).toEqual(SETTINGS.map((s) => s.policyName));
    for (const p of policies) expect(p.getAttribute('key')).toBe(POLICY_KEY);
    const categories = new Set(all(admx, 'category').map((c) => c.getAttribute('name')));
    for (const ref of all(admx, 'parentCategory')) expect(categories.has(ref.getAttribute('ref'))).toBe(true);
    const stringRefs = new Set<string>();
    const presentationRefs = new Set<string>();
    const text = generated[ADMX_FILE] as string;
    for (const m of text.matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)) stringRefs.add(m[1] as string);
    for (const m of text.matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)) presentationRefs.add(m[1] as string);
    const elementIds = new Map<string, string>();
    for (const tag of ['text', 'decimal', 'enum', 'multiText']) for (const e of all(admx, tag)) elementIds.set(e.getAttribute('id') as string, tag);

    for (const lang of ADML_LANGUAGES) {
      const adml = parse(generated[`${lang}/${ADML_FILE}`] as string);
      const strings = new Map(all(adml, 'string').map((s) => [s.getAttribute('id') as string, s.textContent ?? '']));
      for (const ref of stringRefs) expect(strings.get(ref), `${lang}: string ${ref}`).toBeTruthy();
      const presentations = all(adml, 'presentation');
      expect(new Set(presentations.map((p) => p.getAttribute('id')))).toEqual(presentationRefs);
      const expectedControl: Record<string, string> = { text: 'textBox', decimal: 'decimalTextBox', enum: 'dropdownList', multiText: 'multiTextBox' };
      for (const p of presentations) {
        const control = Array.from(p.childNodes).find((n): n is Element => n.nodeType === 1);
        const refId = control?.getAttribute('refId') as string;
        expect(elementIds.has(refId), `${lang}: presentation refId ${refId}`).toBe(true);
        expect(control?.tagName).toBe(expectedControl[elementIds.get(refId) as string]);
      }
    }
    const de = generated[`de-DE/${ADML_FILE}`] as string;
    expect(de).toContain('Adresse des OSCI-Intermediärs');
    expect(de).toContain('von Ihrer IT festgelegt');
    expect(generated[`en-US/${ADML_FILE}`]).toContain('OSCI intermediary address');
  });

  it('maps each setting kind to the registry type the reader expects', () => {
    const admx = parse(generated[ADMX_FILE] as string);
    const policy = (name: string) => all(admx, 'policy').find((p) => p.getAttribute('name') === name) as Element;
    expect(all(policy('FetchIntervalMinutes'), 'decimal')[0]?.getAttribute('maxValue')).toBe('1440');
    expect(all(policy('AllowedExportFolders'), 'multiText')).toHaveLength(1);
    expect(all(policy('StoreFolder'), 'text')[0]?.getAttribute('expandable')).toBe('true');
    expect(all(policy('TrainingModeOffered'), 'enabledValue')).toHaveLength(1);
    expect(all(policy('Language'), 'item').map((i) => i.textContent)).toEqual(['de', 'en']);
  });
});

describe('machine file JSON schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(policyDir, 'config.schema.json'), 'utf8')) as object);

  it('accepts the example of docs/betrieb.md', () => {
    const doc = readFileSync(path.resolve('docs/betrieb.md'), 'utf8');
    const example = /<!-- example:config.json -->\s*```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example, 'docs/betrieb.md has the marked config.json example').toBeDefined();
    expect(validate(JSON.parse(example as string)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses unknown settings and wrong types', () => {
    expect(validate({ settings: { fetchIntervalMinutes: 'oft' } })).toBe(false);
    expect(validate({ settings: { gibtsnicht: 1 } })).toBe(false);
    expect(validate({ defaults: { proxyMode: 'direct' } })).toBe(false);
  });
});
