/**
 * The window layout a caseworker starts with, without zod: the renderer imports this file (the contract's schema is
 * in workspace.ts, which re-exports it). No Node and no DOM here.
 */
import type { UiLayout } from './workspace.js';

export const DEFAULT_UI_LAYOUT: UiLayout = { listWidth: null, density: 'comfortable', groupByDay: true };
