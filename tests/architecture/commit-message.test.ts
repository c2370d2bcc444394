/**
 * The commit-msg check (build/git-hooks/check-commit-message.mjs): subject ≤ 72 characters, a blank line, a body;
 * run as git runs the hook, on a message file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

const dir = mkdtempSync(path.join(tmpdir(), 'postfach-commit-msg-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(message: string): { code: number | null; stderr: string } {
  const file = path.join(dir, `message-${n++}`);
  writeFileSync(file, message);
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'build', 'git-hooks', 'check-commit-message.mjs'), file], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

const subject72 = `Store: ${'x'.repeat(65)}`;

describe('commit messages: short subject, blank line, a body that says why', () => {
  it('accepts a subject of 72 characters with a body', () => {
    expect(subject72).toHaveLength(72);
    expect(check(`${subject72}\n\nThe store kept sentences; the UI needs codes.\n`)).toEqual({ code: 0, stderr: '' });
  });

  it('refuses a subject of 73 characters, and counts characters, not bytes', () => {
    const r = check(`${subject72}y\n\nWhy.\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the subject has 73 characters; at most 72');
    expect(check(`Übungsmodus: ${'ä'.repeat(59)}\n\nWhy.\n`).code).toBe(0);
  });

  it('refuses a message without a body, or with the body glued to the subject', () => {
    expect(check('Fix the thing\n').stderr).toContain('the body is missing');
    expect(check('Fix the thing\nbecause it broke\n').stderr).toContain('the second line must be empty');
  });

  it('ignores what git strips: comments and everything below the scissors line', () => {
    const template = 'Fix the thing\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\nWhy: a diff line\n';
    expect(check(template).stderr).toContain('the body is missing');
    expect(check('Fix the thing\r\n\r\nBecause it broke.\r\n# comment\r\n').code).toBe(0);
  });

  it('leaves merges, reverts and fixups alone', () => {
    expect(check("Merge branch 'lint'\n").code).toBe(0);
    expect(check('fixup! Fix the thing\n').code).toBe(0);
  });
});
