/**
 * The view model is declared once, as zod schemas (core/xsozial/view-schema.ts) with the types derived from them;
 * this test proves that what the reader produces is what the schemas accept (and so what crosses the contract).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
});
