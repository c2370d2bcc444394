/**
 * `npm run architecture:doc`: writes the section "Parts and arrows" of docs/ARCHITECTURE.md from
 * build/architecture/layers.ts (between its markers). Run it after changing the declaration; the test
 * tests/architecture/doc.test.ts fails until the document is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { partsSection, withSection } from './doc.js';

const file = fileURLToPath(new URL('../../docs/ARCHITECTURE.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withSection(before, partsSection());
if (after === before) console.log('docs/ARCHITECTURE.md is current');
else {
  writeFileSync(file, after);
  console.log('docs/ARCHITECTURE.md: section "Parts and arrows" written');
}
