/**
 * Electron fuses, flipped in the packaged executable by the packaging step (build/after-pack.cjs). Every fuse of
 * this Electron version is decided here (`strictlyRequireAllFuses`): a fuse added by a later Electron fails the
 * packaging until someone decides it.
 *
 *  - RunAsNode off: the signed executable cannot be misused as a general Node.js (ELECTRON_RUN_AS_NODE).
 *  - NODE_OPTIONS and --inspect switches off: no code injection through the environment or a debugger port.
 *  - Embedded ASAR integrity validation on, and only loading the app from app.asar: the code that runs is the code
 *    that was signed.
 *  - Cookie encryption on (OS key store), though the UI sets no cookies.
 *  - No extra privileges for file:// (the UI is served from app://), no browser-specific V8 snapshot.
 */
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

export const fuseConfig = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} satisfies FuseV1Config;
