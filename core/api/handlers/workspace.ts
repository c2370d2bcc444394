/**
 * Handlers of the contract area "workspace" (core/api/contract/workspace.ts): UI-only methods. Belongs to the UI;
 * empty until the UI adds its methods.
 */
import type { ServiceOptions } from '../service-protocol.js';

export function workspaceHandlers(_options: ServiceOptions) {
  return {};
}
