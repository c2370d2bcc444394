/**
 * Contract area "workspace": methods and events that only the UI needs (window layout, list columns, remembered
 * choices, ...). Belongs to the UI; empty until the UI adds its entries. Handlers: core/api/handlers/workspace.ts.
 * No Node and no DOM (imported by the renderer).
 */
export const workspaceMethods = {};

export const workspaceEvents = {};
