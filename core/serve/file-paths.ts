/**
 * Files named in a call that comes over the network: the service reads and writes them with its own rights, so a
 * person could otherwise make it write an export over any file the service may write, or read any file it may read
 * (a key file, the store password). Through `postfach serve` a path in a call's input must lie inside the service's
 * transfer folder (`<data folder>/transfer/`: the browser mode's uploads and downloads, workspace-transfer.ts), where
 * the UI puts what a person uploads and takes what it downloads.
 *
 * The fields are known by name (the contract's `filePath` fields); tests/serve/file-paths.test.ts walks the
 * contract's input schemas and fails when a path field appears under a name not listed here.
 */
import path from 'node:path';

export const PATH_FIELDS: ReadonlySet<string> = new Set([
  'path',
  'target',
  'file',
  'keyFile',
  'signatureKeyFile',
  'storePath',
  'intermediaryCertificateFile',
  'intermediarySignerFiles',
  'trustedCaFiles',
  'tlsCaFiles',
]);

/** Every path in the input (at any depth, single or in a list) that does not lie inside `root`. */
export function pathsOutside(input: unknown, root: string): string[] {
  const base = path.resolve(root) + path.sep;
  const outside: string[] = [];
  const check = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!path.resolve(base, value).startsWith(base) || !path.isAbsolute(value)) outside.push(value);
    } else if (Array.isArray(value)) for (const item of value) check(item);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (PATH_FIELDS.has(key)) check(inner);
        else walk(inner);
      }
    }
  };
  walk(input);
  return outside;
}
