import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadXsdBundle, readDelivery, validateWithXsd } from '../../core/xsozial/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const NS = 'urn:osci-postfach:test:antrag';
const instance = (dates: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testantrag xmlns="${NS}">\n  <antragstellerin><rufname>Zoë</rufname><familienname>Øvergård</familienname></antragstellerin>\n${dates}</testantrag>`,
  );

describe('user-loaded XSD bundle', () => {
  it('gives labels from short xs:documentation texts, across included files', async () => {
    const bundle = await loadXsdBundle(path.join(fixtures, 'xsd-bundle'));
    expect([...bundle.files.keys()].sort()).toEqual(['datentypen.xsd', 'haupt.xsd']);
    expect(bundle.labels.get('geburtsdatumKind')).toBe('Geburtsdatum des Kindes');
    expect(bundle.labels.get('rufname')).toBe('Vorname (Rufname)');
    // long explanations are no labels
    expect(bundle.labels.has('bemerkungFreitext')).toBe(false);
    const view = await readDelivery(instance('  <geburtsdatumKind>2019-04-01</geburtsdatumKind>\n'), { xsdLabels: bundle.labels });
    const labels = view.tree.children.flatMap((c) => [c.label.de, ...c.children.map((x) => x.label.de)]);
    expect(labels).toContain('Geburtsdatum des Kindes');
    expect(labels).toContain('Vorname (Rufname)');
    // curated labels still win over the bundle
    expect(labels).toContain('Familienname');
  });

  it('validates offline and reports errors with line numbers', async () => {
    const bundle = await loadXsdBundle(path.join(fixtures, 'xsd-bundle'));
    const ok = await validateWithXsd(instance('  <geburtsdatumKind>2019-04-01</geburtsdatumKind>\n'), bundle);
    expect(ok).toEqual({ valid: true, schema: 'haupt.xsd', issues: [] });
    const bad = await validateWithXsd(instance('  <geburtsdatumKind>1. April</geburtsdatumKind>\n'), bundle);
    expect(bad.valid).toBe(false);
    expect(bad.issues[0]!.line).toBe(4);
    expect(bad.issues[0]!.message).toMatch(/geburtsdatumKind/);
  });

  it('never fetches: a schema importing a location outside the bundle fails with a clear error', async () => {
    const bundle = await loadXsdBundle(path.join(fixtures, 'xsd-remote'));
    const message = Buffer.from('<x xmlns="urn:osci-postfach:test:fremd"/>');
    await expect(validateWithXsd(message, bundle)).rejects.toMatchObject({ kind: 'xsd-bundle' });
  });

  it('hands no DOCTYPE to the validator', async () => {
    const bundle = await loadXsdBundle(path.join(fixtures, 'xsd-bundle'));
    await expect(
      validateWithXsd(Buffer.from('<!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/passwd">]><testantrag xmlns="urn:osci-postfach:test:antrag">&e;</testantrag>'), bundle),
    ).rejects.toMatchObject({ kind: 'hostile-xml' });
  });
});
