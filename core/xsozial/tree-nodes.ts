/** Small helpers over the view tree (TreeNode): children by local name, the first descendant of a name. */
import type { TreeNode } from './view.js';

export function localOf(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

export function nodeChild(n: TreeNode | undefined, local: string): TreeNode | undefined {
  return n?.children.find((c) => localOf(c.name) === local);
}

export function nodeChildren(n: TreeNode | undefined, local: string): TreeNode[] {
  return n ? n.children.filter((c) => localOf(c.name) === local) : [];
}

/** The first node of that name below `n` (depth first, document order). */
export function findNode(n: TreeNode | undefined, local: string): TreeNode | undefined {
  if (!n) return undefined;
  for (const c of n.children) {
    if (localOf(c.name) === local) return c;
    const deeper = findNode(c, local);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every node of that name below `n`, not descending into a found one. */
export function findNodes(n: TreeNode | undefined, local: string): TreeNode[] {
  if (!n) return [];
  const out: TreeNode[] = [];
  for (const c of n.children) {
    if (localOf(c.name) === local) out.push(c);
    else out.push(...findNodes(c, local));
  }
  return out;
}

/** The value of a leaf, or undefined when it is missing or empty. */
export function presentValue(n: TreeNode | undefined): TreeNode['value'] {
  return n?.value !== undefined && n.value.kind !== 'empty' && n.value.display !== '' ? n.value : undefined;
}
