/**
 * Imported by main.tsx right after csp-compat.ts, for its effects: finds the way to the program and sends the
 * window's first calls (state/early-start.ts) before React and the screens' modules are evaluated (issue 14, app
 * start). Imports nothing of React.
 */
import type { PostfachApi } from '../../core/api/api-types.js';
import { createRendererApiClient } from '../../core/api/renderer-client.js';
import { connectBridge } from './api/connect.js';
import { startEarly } from './state/early-start.js';

/** The address's fragment as the window was opened (connecting moves the browser mode's token out of it). */
export const openedWithHash = window.location.hash;

const connection = connectBridge();

/** The typed client of the program; null when the window was opened without a way to it. */
export const api: PostfachApi | null = connection === null ? null : createRendererApiClient(connection.bridge);

if (api !== null && connection !== null) startEarly(api, connection.listening);
