/**
 * The view as messages.detail sends it (core/mailbox/bounded-view.ts): long values shortened per value and within
 * a budget for the whole message, marked with their full length, ids untouched, and each value found again in
 * full by where it is shown and its id.
 */
import { describe, expect, it } from 'vitest';
import { boundedView, DETAIL_BOUNDS, findValue } from '../../core/mailbox/bounded-view.js';
import { readDelivery, type DeliveryView, type DisplayValue, type TreeNode } from '../../core/xsozial/index.js';
import { applicationWithLongValues } from '../helpers/long-values.js';

function treeValues(node: TreeNode, out: Array<{ id: string; value: DisplayValue }> = []): Array<{ id: string; value: DisplayValue }> {
  if (node.value) out.push({ id: node.id, value: node.value });
  for (const a of node.attributes) out.push({ id: a.id, value: a.value });
  for (const c of node.children) treeValues(c, out);
  return out;
}

const cardValues = (view: DeliveryView) => view.cards.flatMap((c) => c.sections.flatMap((s) => s.fields));

describe('the view sent to the UI', () => {
  it('shortens long values, marks them, keeps ids, and stays within the budget of the message', async () => {
    const { xml } = await applicationWithLongValues(40_000);
    const view = await readDelivery(xml);
    const bounded = boundedView(view);
    const fields = cardValues(bounded);
    expect(fields.map((f) => f.id)).toEqual(cardValues(view).map((f) => f.id));
    expect(treeValues(bounded.tree).map((v) => v.id)).toEqual(treeValues(view.tree).map((v) => v.id));
    const all = [...fields.map((f) => f.value), ...treeValues(bounded.tree).map((v) => v.value)];
    for (const v of all) {
      expect(v.raw.length).toBeLessThanOrEqual(DETAIL_BOUNDS.value);
      expect(v.display.length).toBeLessThanOrEqual(DETAIL_BOUNDS.value);
    }
    const shortened = all.filter((v) => v.fullLength !== undefined);
    expect(shortened.filter((v) => v.fullLength === 40_000).length).toBeGreaterThan(100);
    for (const v of shortened) expect(v.fullLength).toBeGreaterThanOrEqual(v.raw.length);
    // the budget of the message: once used, values keep only the short form
    const total = all.reduce((n, v) => n + v.raw.length, 0);
    expect(total).toBeLessThanOrEqual(DETAIL_BOUNDS.total + DETAIL_BOUNDS.value + all.length * DETAIL_BOUNDS.short);
    expect(all.some((v) => v.fullLength !== undefined && v.raw.length <= DETAIL_BOUNDS.short)).toBe(true);
    // the cached view itself is not touched (exports use it)
    expect(cardValues(view).every((f) => f.value.fullLength === undefined)).toBe(true);
    // every shortened value is found again in full
    const street = fields.find((f) => f.value.fullLength !== undefined)!;
    expect(findValue(view, 'card', street.id)?.raw).toHaveLength(40_000);
    const node = treeValues(bounded.tree).find((v) => v.value.fullLength !== undefined)!;
    expect(findValue(view, 'tree', node.id)?.raw).toHaveLength(40_000);
    expect(findValue(view, 'tree', 'kein-solcher-wert')).toBeUndefined();
  });

  it('leaves an ordinary application as it is', async () => {
    const { xml } = await applicationWithLongValues(20);
    const view = await readDelivery(xml);
    const bounded = boundedView(view);
    expect(JSON.stringify(bounded)).toBe(JSON.stringify(view));
  });
});
