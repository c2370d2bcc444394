// electron-builder afterPack hook: flips the Electron fuses in the packaged executable, as decided in
// electron/fuses.ts (bundled to dist/electron/fuses.cjs by `npm run build`). Fails the packaging when the
// decisions are missing or a fuse of this Electron version is undecided (strictlyRequireAllFuses).
'use strict';
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');

exports.default = async function afterPack(context) {
  const { fuseConfig } = require(path.join(__dirname, '..', 'dist', 'electron', 'fuses.cjs'));
  const platform = context.electronPlatformName;
  const name = context.packager.appInfo.productFilename;
  const executable =
    platform === 'darwin' ? path.join(context.appOutDir, `${name}.app`) : path.join(context.appOutDir, platform === 'win32' ? `${name}.exe` : context.packager.executableName);
  await flipFuses(executable, { ...fuseConfig, resetAdHocDarwinSignature: platform === 'darwin' && context.arch === 3 /* arm64 */ });
};
