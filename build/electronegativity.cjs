#!/usr/bin/env node
// Runs Electronegativity over the Electron shell and compares its findings with the written justifications.
//
//   node build/electronegativity.cjs [--input DIR] [--justifications FILE] [--json]
//
// Exit 0 when every finding is justified (and every justification still matches a finding), 1 otherwise.
// A finding matches a justification by check id and file (not by line, which moves with edits).
//
// Offline on purpose: Electronegativity fetches translations and Electron's release list from GitHub; the build
// machines reach no such host, and a security gate must not depend on the network. `got` is replaced by a stub
// that fails at once, and the release-list check (AvailableSecurityFixesGlobalCheck) is excluded — Electron
// updates are tracked through the lock file instead (see the justifications file).
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? path.resolve(args[i + 1]) : fallback;
};
const input = option('--input', path.join(root, 'electron'));
const justificationsFile = option('--justifications', path.join(root, 'electron', 'electronegativity-justifications.json'));
const asJson = args.includes('--json');

const eneg = path.dirname(require.resolve('@doyensec/electronegativity/package.json', { paths: [root] }));
const gotPath = require.resolve('got', { paths: [eneg] });
const offline = () => Promise.reject(new Error('network disabled for Electronegativity'));
offline.head = offline;
offline.get = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };

const electronVersion = require(require.resolve('electron/package.json', { paths: [root] })).version;

async function main() {
  const quiet = console.log;
  console.log = () => undefined; // the runner prints progress notes even when used as a library
  let result;
  try {
    const run = require(path.join(eneg, 'dist', 'runner.js'));
    result = await run(
      {
        input,
        customScan: [],
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
        isRelative: true,
        isVerbose: false,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  } finally {
    console.log = quiet;
  }
  const justifications = JSON.parse(fs.readFileSync(justificationsFile, 'utf8')).accepted;
  const findings = result.issues.map((i) => ({
    check: i.id,
    file: i.file.split(path.sep).join('/'),
    line: i.location.line,
    severity: i.severity.name,
    description: i.description,
  }));
  const justified = (f) => justifications.some((j) => j.check === f.check && j.file === f.file);
  const unjustified = findings.filter((f) => !justified(f));
  const stale = justifications.filter((j) => !findings.some((f) => f.check === j.check && f.file === j.file));
  const report = { electronVersion, input, findings, unjustified, stale, parseErrors: result.errors.map((e) => `${e.file}: ${e.message}`) };
  if (asJson) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(
      `Electronegativity (Electron ${electronVersion}): ${findings.length} finding(s), ${unjustified.length} unjustified, ${stale.length} stale justification(s)\n`,
    );
    for (const f of unjustified) process.stdout.write(`  UNJUSTIFIED ${f.check} ${f.file}:${f.line} — ${f.description}\n`);
    for (const j of stale) process.stdout.write(`  STALE justification ${j.check} ${j.file} (no such finding any more: remove it)\n`);
    for (const e of report.parseErrors) process.stdout.write(`  PARSE ERROR ${e}\n`);
  }
  process.exitCode = unjustified.length === 0 && stale.length === 0 && report.parseErrors.length === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`electronegativity failed: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 2;
});
