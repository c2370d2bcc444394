import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared beside the project root: read-only reference material (vectors, specs). */
export const sharedRoot = path.resolve(projectRoot, '..', 'shared');

export const vectorsRoot = path.join(sharedRoot, 'osci', 'vectors');

export function vectorPath(relative: string): string {
  const p = path.join(vectorsRoot, relative);
  if (!existsSync(p)) throw new Error(`reference vector missing: ${p} (is ../shared beside the project root?)`);
  return p;
}

/** PIN of every .p12 in the reference vectors. */
export const VECTOR_PIN = '123456';
