/**
 * The view model is declared once, as zod schemas (core/xsozial/view-schema.ts) with the types derived from them;
 * this test proves that what the reader produces is what the schemas accept (and so what crosses the contract).
 * They are built at their first use, not at import (issue 14, app start): the first check refuses and accepts
 * exactly as every later one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { readDelivery, summarize } from '../../core/xsozial/index.js';
import { deliverySummarySchema, deliveryViewSchema } from '../../core/xsozial/view-schema.js';
import { generateApplication } from '../../intermediary/generator/index.js';
import { vectorPath } from '../helpers/shared.js';

describe('view model schemas', () => {
  it('accept what readDelivery and summarize produce, after a JSON round trip', async () => {
    const app = await generateApplication({ service: 'but', seed: 'schema', evidence: { count: 2, size: 8_000 }, test: true });
    for (const xml of [app.bytes(), readFileSync(vectorPath('content/antrag-1.xml')), Buffer.from('<a><b>1</b></a>')]) {
      const view = await readDelivery(xml);
      const json = JSON.parse(JSON.stringify(view)) as unknown;
      expect(deliveryViewSchema.parse(json)).toEqual(view);
      const summary = await summarize(xml);
      expect(deliverySummarySchema.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    }
  });

  it('reject a view with a wrong shape', () => {
    expect(deliveryViewSchema.safeParse({ kind: 'xsozial-application', applicants: 'Erika' }).success).toBe(false);
  });

  it('are built at their first use, and the first check refuses and accepts as every later one', async () => {
    // a fresh instance of the module, as in a thread that has just loaded the contract
    vi.resetModules();
    const fresh = await import('../../core/xsozial/view-schema.js');
    /** Whether z.lazy has built the schema inside it (zod keeps it on the definition once built). */
    const built = (schema: z.ZodType): boolean => (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined;
    expect(fresh.deliveryViewSchema._zod.def.type).toBe('lazy');
    expect(built(fresh.deliveryViewSchema)).toBe(false);
    expect(built(fresh.treeNodeSchema)).toBe(false);

    const view = await readDelivery(readFileSync(vectorPath('content/antrag-1.xml')));
    const json = JSON.parse(JSON.stringify(view)) as typeof view;
    // a node deep in the tree with a key the schema does not know, and a value of the wrong kind
    const [first] = json.tree.children;
    expect(first).toBeDefined();
    const bad = { ...json, tree: { ...json.tree, children: [{ ...first, extra: 1 }, ...json.tree.children.slice(1)] }, sourceSize: -1 };
    const firstCheck = fresh.deliveryViewSchema.safeParse(bad);
    expect(built(fresh.deliveryViewSchema)).toBe(true);
    const laterCheck = fresh.deliveryViewSchema.safeParse(bad);
    expect(firstCheck.success).toBe(false);
    expect(firstCheck.error?.issues).toEqual(laterCheck.error?.issues);
    expect(firstCheck.error?.issues.map((i) => `${i.path.join('.')}: ${i.code}`).sort()).toEqual(['sourceSize: too_small', 'tree.children.0: unrecognized_keys']);
    // the same answers as the schema the module built before (here: this file's import, built by the first test)
    expect(fresh.deliveryViewSchema.parse(json)).toEqual(deliveryViewSchema.parse(json));
    expect(deliveryViewSchema.safeParse(bad).error?.issues).toEqual(firstCheck.error?.issues);
  });
});
