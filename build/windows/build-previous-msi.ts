/**
 * Builds the upgrade test's previous MSI on the Windows runner (.github/workflows/windows.yml): this commit,
 * packaged as the next lower version (msi-versions.ts) into release-previous/. Needs `npm run build` first.
 *
 *   npx tsx build/windows/build-previous-msi.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { previousMsiConfig, previousMsiVersion } from './msi-versions.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const base = JSON.parse(readFileSync(path.join(root, 'build', 'electron-builder.json'), 'utf8')) as Record<string, unknown>;
const version = previousMsiVersion(pkg.version);
console.log(`previous MSI: version ${version} (this build is ${pkg.version}) into release-previous/`);
await build({
  projectDir: root,
  targets: Platform.WINDOWS.createTarget(['msi'], Arch.x64),
  config: previousMsiConfig(base, version, 'release-previous') as Configuration,
  publish: 'never',
});
