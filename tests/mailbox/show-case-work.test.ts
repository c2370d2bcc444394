/**
 * `postfach show` states the office's own notes on an application — Aktenzeichen, Wiedervorlage, note — under
 * "Vermerke des Amtes", as the PDF's Laufzettel does (issue 17); hidden characters in them as tokens, the note's
 * lines kept and indented; nothing of the kind when nothing is noted. Built CLI as its own process over a real
 * encrypted store.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostfachStore } from '../../core/store/index.js';
import { createFixtureStore, FIXTURE_PASSWORD } from '../ui/helpers/fixture-store.js';
import { ensureBuilt, postfach, tempDir } from './helpers.js';

const root = tempDir('postfach-show-case-work-');
const storePath = path.join(root, 'postfach.db');
const env = { POSTFACH_STORE_PASSWORD: FIXTURE_PASSWORD };

beforeAll(async () => {
  ensureBuilt();
  await createFixtureStore(storePath, 2);
  const store = await PostfachStore.open(storePath, { password: FIXTURE_PASSWORD });
  try {
    store.setCaseWork(1, { aktenzeichen: 'SGB12-4711/26\u202E', note: 'Kontoauszüge angefordert.\nRückruf am Montag.', followUpOn: '2026-12-14' });
  } finally {
    store.close();
  }
}, 180_000);

describe('postfach show: the office notes', () => {
  it('states Aktenzeichen, Wiedervorlage and the note under "Vermerke des Amtes"', async () => {
    const run = await postfach(['show', '1', '--store', storePath], env);
    expect(run.status, run.stderr).toBe(0);
    const text = run.stdout;
    expect(text).toContain('\nVermerke des Amtes\n');
    expect(text).toMatch(/\n {2}Aktenzeichen: +SGB12-4711\/26⟨U\+202E⟩\n/);
    expect(text).toMatch(/\n {2}Wiedervorlage: +14\.12\.2026\n/);
    // the note keeps its line, the second one under the first
    expect(text).toMatch(/\n {2}Notiz: +Kontoauszüge angefordert\.\n {30}Rückruf am Montag\.\n/);
    expect(text).not.toContain('\u202E');
    // in the Laufzettel block, before the signatures
    expect(text.indexOf('Vermerke des Amtes')).toBeGreaterThan(text.indexOf('Laufzettel'));
    expect(text.indexOf('Vermerke des Amtes')).toBeLessThan(text.indexOf('\nSignaturen\n'));
  });

  it('says nothing of notes where none are', async () => {
    const run = await postfach(['show', '2', '--store', storePath], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('Vermerke des Amtes');
  });

  it('show --json carries them as data', async () => {
    const run = await postfach(['show', '1', '--store', storePath, '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { caseWork: unknown }).caseWork).toEqual({
      aktenzeichen: 'SGB12-4711/26\u202E',
      note: 'Kontoauszüge angefordert.\nRückruf am Montag.',
      followUpOn: '2026-12-14',
    });
  });
});
