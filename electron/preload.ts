/**
 * The preload: exposes exactly the typed contract as `window.postfach` (preload-bridge.ts) through contextBridge —
 * no ipcRenderer, no generic send/invoke. Bundled to CommonJS by esbuild (build/build-electron.mjs) because
 * sandboxed preloads cannot be ES modules. Wiring only.
 */
import './preload-setup.js';
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './preload-bridge.js';

contextBridge.exposeInMainWorld('postfach', createPreloadBridge(ipcRenderer));
