import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplication } from '../../intermediary/generator/index.js';
import { projectRoot } from '../helpers/shared.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-large-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The one heavy case of this part (the 50 MB figure comes from `npx tsx bench/export-large.ts`): a 32 MB
// application is exported in a fresh process whose peak RSS must stay under the 300 MB budget of docs/ARCHITECTURE.md.
describe('export of a large application', () => {
  it('keeps the exporting process under 300 MB peak RSS', async () => {
    const app = await generateApplication({ service: 'hzl', seed: 'large', evidence: { count: 6, size: 4 * 1024 * 1024 } });
    const xml = path.join(tmp, 'antrag.xml');
    await app.writeFile(xml);
    expect(statSync(xml).size).toBeGreaterThan(32 * 1024 * 1024);
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'export-large.ts'), '--export-only', xml, tmp], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { peakRssBytes: number; xmlBytes: number; attachments: number; pdfa: boolean; pdfPages: number };
    expect(result.xmlBytes).toBe(app.size);
    expect(result.attachments).toBe(app.documents.length);
    expect(result.pdfa).toBe(true);
    expect(statSync(path.join(tmp, 'export.xml')).size).toBe(app.size);
    expect(result.peakRssBytes).toBeLessThan(300 * 1024 * 1024);
  }, 180_000);
});
