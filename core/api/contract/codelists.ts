/**
 * Contract area "codelists": the code lists that turn codes into texts — the shipped ones (with their public
 * source) and those local IT imported from Genericode files (Settings, the policy folder `codeListFolder`,
 * `postfach codelists import`), kept in the store, several versions of a list side by side. Answered by the
 * service (core/api/handlers/codelists.ts). No Node and no DOM here.
 */
import { z } from 'zod';
import { serviceEvent, serviceMethod } from '../contract-kit.js';
import { filePath, isoTime, noInput, shortText, text } from './fields.js';

/** A code list sent as bytes (browser mode); larger lists are imported by path or from the policy folder. */
export const CODELIST_UPLOAD_MAX_BYTES = 8 * 1024 * 1024;

export const codeListInfoSchema = z.lazy(() =>
  z.strictObject({
    listURI: z.string().max(1000),
    /** Empty for a shipped list known only by the element it is fixed to (its list URI is not public). */
    listVersionID: z.string().max(200),
    name: z.string().max(1000),
    /** shipped: with the program (`source` cites where its texts come from) · imported: by hand · folder: from the policy folder. */
    origin: z.enum(['shipped', 'imported', 'folder']),
    /** The cited public source (shipped) or the imported file's name. */
    source: text,
    codes: z.number().int().nonnegative(),
    importedAt: isoTime.optional(),
    sha256: z.string().max(64).optional(),
  }),
);
export type CodeListInfo = z.infer<typeof codeListInfoSchema>;

export const codeListFolderSchema = z.lazy(() =>
  z.strictObject({
    /** The folder the policy names, or null. */
    path: filePath.nullable(),
    /** Files of the folder refused at the last store opening (German words come from the kind in the UI). */
    refused: z.array(z.strictObject({ fileName: shortText, kind: shortText, detail: text })).max(500),
  }),
);

export const codelistsMethods = {
  /** Every list the program uses now: shipped and imported, newest version first per list; the policy folder's state. */
  'codelists.list': serviceMethod(
    () => noInput,
    () => z.strictObject({ lists: z.array(codeListInfoSchema).max(5000), folder: codeListFolderSchema }),
  ),
  /**
   * Imports one Genericode file into the open store (refused as a whole when it is no usable code list): a path
   * (desktop app, command line), or the file's bytes in base64 (browser mode, at most 8 MiB).
   */
  'codelists.import': serviceMethod(
    () =>
      z.union([
        z.strictObject({ file: filePath }),
        z.strictObject({
          name: shortText.min(1),
          data: z
            .string()
            .min(1)
            .max(Math.ceil(CODELIST_UPLOAD_MAX_BYTES / 3) * 4),
        }),
      ]),
    () => z.strictObject({ list: codeListInfoSchema, result: z.enum(['created', 'replaced', 'unchanged']) }),
  ),
};

export const codelistsEvents = {
  /** Code lists were imported: open views show other texts now. */
  'codelists.changed': serviceEvent(() => z.strictObject({ count: z.number().int().nonnegative() })),
};
