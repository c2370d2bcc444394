#!/usr/bin/env node
// Takes SchemaStore's github-workflow.json out of the npm package @action-validator/core, which embeds SchemaStore's
// schemas verbatim in its WebAssembly file, and writes it to build/windows/schemastore/github-workflow.json. The
// machines here reach only the npm registry, and no npm package ships the schema as a plain file; this keeps the
// exact published text in the repository (tests/ops/windows-pipeline.test.ts validates the workflow against it).
//
//   npm pack @action-validator/core@0.6.0 && tar xzf action-validator-core-0.6.0.tgz
//   node build/windows/extract-workflow-schema.mjs package/action_validator_bg.wasm
//
// Then update the version, the package's integrity and the file's SHA-256 in build/windows/schemastore/SOURCE.md.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ID = '"$id": "https://json.schemastore.org/github-workflow.json"';

/** The JSON object around `at`: back to the `{` that opens it at a line start, forward to its matching `}`. */
export function embeddedJsonAround(text, at) {
  let start = text.lastIndexOf('\n{\n', at);
  if (start < 0) throw new Error('no object start before the $id');
  start += 1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('the embedded schema does not end');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wasm = process.argv[2];
  if (wasm === undefined) {
    console.error('usage: node build/windows/extract-workflow-schema.mjs <path to action_validator_bg.wasm>');
    process.exit(2);
  }
  // the schema is UTF-8 inside the binary; latin1 keeps byte offsets, and the slice is re-read as UTF-8
  const bytes = readFileSync(wasm);
  const latin1 = bytes.toString('latin1');
  const at = latin1.indexOf(ID);
  if (at < 0) throw new Error(`no ${ID} in ${wasm}`);
  const slice = embeddedJsonAround(latin1, at);
  const text = Buffer.from(slice, 'latin1').toString('utf8');
  const schema = JSON.parse(text);
  if (schema.$id !== 'https://json.schemastore.org/github-workflow.json') throw new Error('not the workflow schema');
  const target = fileURLToPath(new URL('./schemastore/github-workflow.json', import.meta.url));
  writeFileSync(target, text.endsWith('\n') ? text : `${text}\n`);
  console.log(`${target}: ${Buffer.byteLength(text)} bytes, sha256 ${createHash('sha256').update(readFileSync(target)).digest('hex')}`);
}
