/**
 * The view of a message as it crosses to the UI (messages.detail): every value at most {@link DETAIL_BOUNDS}
 * characters, and all values of one message together at most a budget, after which values are shortened further.
 * A shortened value says so (`fullLength`: the length of its raw form) and is fetched in full, one at a time, with
 * `messages.value`. Without this, an application with a 200,000-character word in each of its hundred values
 * became a detail object of some hundred megabytes (each value is in the cards and in the tree, as display and as
 * raw), copied and checked at every boundary on its way to the window.
 *
 * Ids are never shortened (copy buttons, the checklist and `messages.value` find values by them).
 */
import type { DeliveryView, DisplayValue, DocumentView, Field, SummaryCard, TreeNode } from '../xsozial/index.js';
import type { Label } from '../xsozial/labels.js';
import { clipText } from '../text-bounds.js';
import { treeBlockId } from '../xsozial/view-schema.js';
import { listNames } from './list-names.js';

export const DETAIL_BOUNDS = {
  /** Characters of one value (display and raw each). */
  value: 10_000,
  /** Characters of all values of one message; once used up, each further value keeps `short`. */
  total: 1_000_000,
  short: 200,
  /** Labels, titles, names of documents, the benefit and the applicants. */
  label: 1_000,
} as const;

/** Finds a value of the view by where it is shown and its id (the id of its field, tree node or attribute). */
export function findValue(view: DeliveryView, where: 'card' | 'tree', id: string): DisplayValue | undefined {
  if (where === 'card') {
    for (const card of view.cards) for (const section of card.sections) for (const field of section.fields) if (field.id === id) return field.value;
    return undefined;
  }
  const stack: TreeNode[] = [view.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === id && node.value !== undefined) return node.value;
    if (node.block !== undefined && treeBlockId(node.id) === id) return node.block;
    for (const attribute of node.attributes) if (attribute.id === id) return attribute.value;
    stack.push(...node.children);
  }
  return undefined;
}

/** A copy of the view within the bounds; the view itself (cached for exports) stays complete. */
export function boundedView(view: DeliveryView): DeliveryView {
  let budget: number = DETAIL_BOUNDS.total;
  const label = (l: Label): Label =>
    l.de.length > DETAIL_BOUNDS.label || l.en.length > DETAIL_BOUNDS.label ? { de: clipText(l.de, DETAIL_BOUNDS.label), en: clipText(l.en, DETAIL_BOUNDS.label) } : l;
  const value = (v: DisplayValue): DisplayValue => {
    const max = budget > 0 ? DETAIL_BOUNDS.value : DETAIL_BOUNDS.short;
    budget -= Math.min(v.raw.length, max);
    if (v.raw.length <= max && v.display.length <= max && (v.code === undefined || (v.code.text ?? '').length + v.code.code.length <= 2 * DETAIL_BOUNDS.label)) return v;
    const { code, ...rest } = v;
    return {
      ...rest,
      display: clipText(v.display, max),
      raw: clipText(v.raw, max),
      ...(code === undefined
        ? {}
        : {
            code: {
              code: clipText(code.code, DETAIL_BOUNDS.label),
              ...(code.listURI === undefined ? {} : { listURI: clipText(code.listURI, DETAIL_BOUNDS.label) }),
              ...(code.listVersionID === undefined ? {} : { listVersionID: clipText(code.listVersionID, DETAIL_BOUNDS.label) }),
              ...(code.text === undefined ? {} : { text: clipText(code.text, DETAIL_BOUNDS.label) }),
            },
          }),
      ...(v.raw.length > max || v.display.length > max ? { fullLength: v.raw.length } : {}),
    };
  };
  const field = (f: Field): Field => ({ ...f, label: label(f.label), value: value(f.value) });
  const card = (c: SummaryCard): SummaryCard => ({ ...c, title: label(c.title), sections: c.sections.map((s) => ({ ...s, title: label(s.title), fields: s.fields.map(field) })) });
  const node = (n: TreeNode): TreeNode => ({
    ...n,
    name: clipText(n.name, DETAIL_BOUNDS.label),
    label: label(n.label),
    ...(n.value === undefined ? {} : { value: value(n.value) }),
    ...(n.block === undefined ? {} : { block: value(n.block) }),
    attributes: n.attributes.map(field),
    children: n.children.map(node),
  });
  const documentOf = (d: DocumentView): DocumentView => ({
    ...d,
    name: clipText(d.name, DETAIL_BOUNDS.label),
    ...(d.fileName === undefined ? {} : { fileName: clipText(d.fileName, DETAIL_BOUNDS.label) }),
    ...(d.mimeType === undefined ? {} : { mimeType: clipText(d.mimeType, DETAIL_BOUNDS.label) }),
    ...(d.documentType === undefined ? {} : { documentType: value(d.documentType) }),
  });
  const cards = view.cards.map(card);
  return {
    ...view,
    ...(view.product === undefined ? {} : { product: clipText(view.product, DETAIL_BOUNDS.label) }),
    ...(view.messageId === undefined ? {} : { messageId: clipText(view.messageId, DETAIL_BOUNDS.label) }),
    ...(view.createdAt === undefined ? {} : { createdAt: value(view.createdAt) }),
    ...(view.applicationDate === undefined ? {} : { applicationDate: value(view.applicationDate) }),
    ...(view.benefit === undefined
      ? {}
      : {
          benefit: {
            ...view.benefit,
            display: clipText(view.benefit.display, DETAIL_BOUNDS.label),
            ...(view.benefit.code === undefined ? {} : { code: clipText(view.benefit.code, DETAIL_BOUNDS.label) }),
            ...(view.benefit.text === undefined ? {} : { text: clipText(view.benefit.text, DETAIL_BOUNDS.label) }),
          },
        }),
    applicants: view.applicants.map((a) => clipText(a, DETAIL_BOUNDS.label)),
    applicantNames: listNames(view.applicantNames),
    cards,
    tree: node(view.tree),
    documents: view.documents.map(documentOf),
  };
}
