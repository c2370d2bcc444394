/**
 * The list with 100,000 messages in Chromium (bench/ui-list.ts, the same measurement `npx tsx bench/ui-list.ts`
 * prints): first render, every filter/search/sort, a jump into the middle — each within a generous bound, the rows
 * virtualised (a few dozen option elements for 100,000 rows), and the totals right. The figures are written to
 * test-artifacts/perf/ui-list.json.
 *
 * The store is filled through the store API once (a few minutes on two cores) and reused from the temporary folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUiListFigures, runUiListBench } from '../../bench/ui-list.js';
import { projectRoot } from '../helpers/shared.js';
import { chromiumPath } from './helpers/chromium.js';
import { ensureRendererBuilt } from './helpers/renderer-build.js';

const COUNT = 100_000;

describe('the message list with 100,000 messages', () => {
  it('renders first, filters, searches, sorts and jumps without visible lag', async () => {
    const rendererDir = await ensureRendererBuilt();
    const figures = await runUiListBench({ count: COUNT, rendererDir, chromiumPath, progress: (line) => console.log(line) });
    const out = path.join(projectRoot, 'test-artifacts', 'perf');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'ui-list.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(formatUiListFigures(figures));

    expect(figures.domRows).toBeGreaterThan(5);
    expect(figures.domRows).toBeLessThan(80);
    expect(figures.firstRenderMs).toBeLessThan(5_000);
    for (const query of figures.queries) expect(query.ms, query.name).toBeLessThan(3_000);
    expect(figures.jumpToMiddleMs).toBeLessThan(3_000);

    const total = (name: string): number | undefined => figures.queries.find((q) => q.name === name)?.total;
    expect(total('filter: nur ungelesene')).toBe(COUNT);
    expect(total('view: Testanträge')).toBe(Math.ceil(COUNT / 997));
    expect(total('view: Posteingang')).toBe(COUNT);
    expect(total('search: "Łukasiewicz"')).toBe(Math.ceil((COUNT - 3) / 12));
    expect(total('search: "Łukasiewicz Zofia"')).toBeLessThan(total('search: "Łukasiewicz"') ?? 0);
    expect(total('search: "Łukasiewicz Zofia"')).toBeGreaterThan(0);
  }, 900_000);
});
