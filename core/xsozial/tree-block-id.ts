/**
 * The id by which a tree node's composed block (e.g. an address written as lines) is found again, e.g. when the UI
 * fetches its whole value (`messages.value`, where "tree"). Without zod (view-schema.ts re-exports it): the
 * renderer's data tree imports this file. Universal (no Node, no DOM).
 */
export const treeBlockId = (nodeId: string): string => `${nodeId}#block`;
