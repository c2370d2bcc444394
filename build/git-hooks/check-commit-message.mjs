/**
 * Checks a commit message the way the project writes them (issue 11 "Documentation"): a subject of at most 72
 * characters, a blank line, then a body that says why. Lines git strips (comments, everything below the scissors
 * line of `commit -v`) do not count; merges, reverts and fixup!/squash!/amend! commits are left alone.
 *
 *   node build/git-hooks/check-commit-message.mjs FILE     exit 0: fine; exit 1: what is wrong, on stderr
 *
 * Used by the commit-msg hook beside it (README "Developing": `git config core.hooksPath build/git-hooks`).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MAX_SUBJECT = 72;
const SCISSORS = /^# -+ >8 -+$/;

/** The problems of one message (empty: fine). */
export function commitMessageProblems(text) {
  const lines = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (SCISSORS.test(line)) break;
    if (!line.startsWith('#')) lines.push(line.trimEnd());
  }
  while (lines.length > 0 && lines[0] === '') lines.shift();
  const [subject = '', second, ...rest] = lines;
  if (/^(Merge |Revert "|fixup! |squash! |amend! )/.test(subject)) return [];
  const problems = [];
  if (subject === '') problems.push('the message is empty');
  else if ([...subject].length > MAX_SUBJECT) problems.push(`the subject has ${[...subject].length} characters; at most ${MAX_SUBJECT}`);
  if (second !== undefined && second !== '') problems.push('the second line must be empty (subject, blank line, body)');
  if (![second, ...rest].some((line) => line !== undefined && line.trim() !== '')) problems.push('the body is missing: say why the change is made');
  return problems;
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: node build/git-hooks/check-commit-message.mjs FILE');
    process.exit(2);
  }
  const problems = commitMessageProblems(readFileSync(file, 'utf8'));
  if (problems.length > 0) {
    console.error(`commit message: ${problems.join('; ')}.`);
    console.error(`(subject ≤ ${MAX_SUBJECT} characters, a blank line, then a body that says why; see README "Developing")`);
    process.exit(1);
  }
}
