/**
 * Writes the group-policy templates and the machine file's JSON schema into build/policy/, generated from the
 * settings' declaration (core/config/settings.ts). Run: `npm run policy:generate`. tests/config/admx.test.ts fails
 * when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedPolicyFiles } from '../../core/config/admx.js';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const [name, text] of Object.entries(generatedPolicyFiles())) {
  const file = path.join(here, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`geschrieben: build/policy/${name}`);
}
