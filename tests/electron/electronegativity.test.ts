/**
 * Electronegativity over electron/ (offline): every finding must be justified in writing in
 * electron/electronegativity-justifications.json, and every justification must still match a finding.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

const run = promisify(execFile);
const gate = path.join(projectRoot, 'build', 'electronegativity.cjs');

interface Report {
  findings: Array<{ check: string; file: string }>;
  unjustified: Array<{ check: string; file: string; line: number; description: string }>;
  stale: Array<{ check: string; file: string }>;
  parseErrors: string[];
}

async function scan(args: string[]): Promise<{ code: number; report: Report }> {
  try {
    const { stdout } = await run(process.execPath, [gate, '--json', ...args], { cwd: projectRoot, timeout: 60_000 });
    return { code: 0, report: JSON.parse(stdout) as Report };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? -1, report: JSON.parse(e.stdout ?? '{}') as Report };
  }
}

describe('Electronegativity', () => {
  it('finds nothing in electron/ that is not justified in writing', async () => {
    const { code, report } = await scan([]);
    const unjustified = report.unjustified.map((f) => `${f.check} ${f.file}:${f.line} ${f.description}`);
    expect(unjustified, 'findings without a justification').toEqual([]);
    expect(report.stale, 'justifications without a finding (remove them)').toEqual([]);
    expect(report.parseErrors).toEqual([]);
    expect(code).toBe(0);
  });

  it('gives one reason per accepted finding', () => {
    const file = JSON.parse(readFileSync(path.join(projectRoot, 'electron', 'electronegativity-justifications.json'), 'utf8')) as {
      accepted: Array<{ check: string; file: string; reason: string }>;
    };
    for (const j of file.accepted) expect(j.reason.length, `${j.check} ${j.file}`).toBeGreaterThan(40);
    const keys = file.accepted.map((j) => `${j.check}@${j.file}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fails the gate for an insecure shell (the check can fail)', async () => {
    const { code, report } = await scan(['--input', path.join(projectRoot, 'tests', 'electron', 'fixtures', 'insecure-shell')]);
    expect(code).toBe(1);
    const checks = report.unjustified.map((f) => f.check);
    expect(checks).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]),
    );
  });
});
