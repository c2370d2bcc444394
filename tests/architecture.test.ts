import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers/shared.js';

function sourceFiles(dir: string): string[] {
  const root = path.join(projectRoot, dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name)) out.push(p);
    }
  };
  walk(root);
  return out;
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('layering (DESIGN.md "Parts")', () => {
  it('core/ never imports electron', () => {
    const offenders = sourceFiles('core').filter((f) => importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });

  it('core/ never imports from the shell, the renderer or the CLI', () => {
    const offenders = sourceFiles('core').filter((f) =>
      importsOf(f).some((i) => /(^|\/)\.\.\/(\.\.\/)*(electron|renderer|cli)\//.test(i)),
    );
    expect(offenders).toEqual([]);
  });

  it('core/ imports only core/ (one documented exception: the Übungsmodus starts the local intermediary)', () => {
    const allowed = new Set([path.join(projectRoot, 'core', 'mailbox', 'demo.ts')]);
    const offenders = sourceFiles('core').filter(
      (f) => !allowed.has(f) && importsOf(f).some((i) => i.startsWith('.') && !path.resolve(path.dirname(f), i).startsWith(path.join(projectRoot, 'core') + path.sep)),
    );
    expect(offenders).toEqual([]);
  });

  it('renderer/ never touches Node or raw IPC', () => {
    const nodeModules = /^(node:)?(fs|path|child_process|crypto|os|net|http|https|worker_threads|electron)(\/|$)/;
    const offenders = sourceFiles('renderer').filter(
      (f) => !f.includes(`${path.sep}test${path.sep}`) && (importsOf(f).some((i) => nodeModules.test(i)) || /ipcRenderer/.test(readFileSync(f, 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });
});
