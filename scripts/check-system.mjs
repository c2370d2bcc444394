#!/usr/bin/env node
// @ts-check
/**
 * The first thing `npm test` runs: are the Debian packages the tests call there, and the npm packages? Says what is
 * missing in ONE German/English line and exits 1, instead of the tests failing one by one much later; silent and
 * exit 0 when everything is there. scripts/setup-debian.sh installs exactly this list (tests/build/system-setup.test.ts
 * compares them).
 *
 *   node scripts/check-system.mjs          check
 *   node scripts/check-system.mjs --list   the requirements as JSON (for the comparison test)
 *
 * Plain Node without any npm package: it must run before `npm ci` to say that npm ci is missing.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the UI tests find Chromium (tests/ui/helpers/chromium.ts). */
const chromium = process.env.POSTFACH_CHROMIUM ?? '/usr/bin/chromium';

/** Is the Electron binary on this machine (as cli/electron-runtime.ts decides, without loading electron)? */
function electronRuntimePresent() {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(path.join(override, relative ?? 'electron'));
  return relative !== undefined && existsSync(path.join(packageDir, 'dist', relative));
}

/**
 * @typedef {{ package: string, commands?: string[], files?: string[], needed?: () => boolean }} Requirement
 * @type {Requirement[]}
 */
const REQUIREMENTS = [
  { package: 'chromium', files: [chromium] },
  { package: 'fonts-dejavu-core', files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'] },
  { package: 'poppler-utils', commands: ['pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts', 'pdfimages', 'pdfdetach'] },
  { package: 'qpdf', commands: ['qpdf'] },
  { package: 'openssl', commands: ['openssl'] },
  // the Electron shell tests start their own X server where the runtime exists and no display is set
  { package: 'xvfb', files: ['/usr/bin/Xvfb'], needed: () => electronRuntimePresent() && !process.env.DISPLAY },
];

/** @param {string} name */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** @param {string} file */
function present(file) {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv.includes('--list')) {
  process.stdout.write(`${JSON.stringify(REQUIREMENTS.map(({ package: name, commands, files }) => ({ package: name, commands: commands ?? [], files: files ?? [] })))}\n`);
  process.exit(0);
}

/** @type {string[]} */
const missingPackages = [];
for (const requirement of REQUIREMENTS) {
  if (requirement.needed && !requirement.needed()) continue;
  const absent = [...(requirement.commands ?? []).filter((c) => !onPath(c)), ...(requirement.files ?? []).filter((f) => !present(f))];
  if (absent.length > 0) missingPackages.push(`${requirement.package} (${absent.join(', ')})`);
}

/** @type {{ de: string, en: string }[]} */
const problems = [];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  problems.push({ de: `Node.js ${process.versions.node} ist zu alt (20.19 oder neuer)`, en: `Node.js ${process.versions.node} is too old (20.19 or later)` });
}
if (missingPackages.length > 0) {
  problems.push({ de: `Systempakete fehlen: ${missingPackages.join(', ')}`, en: `system packages missing: ${missingPackages.join(', ')}` });
}
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  problems.push({ de: 'die npm-Pakete fehlen (npm ci)', en: 'the npm packages are missing (npm ci)' });
}
if (problems.length > 0) {
  const de = problems.map((p) => p.de).join('; ');
  const en = problems.map((p) => p.en).join('; ');
  process.stderr.write(`${de} – bitte „scripts/setup-debian.sh“ ausführen. / ${en[0]?.toUpperCase()}${en.slice(1)} – please run "scripts/setup-debian.sh".\n`);
  process.exit(1);
}
