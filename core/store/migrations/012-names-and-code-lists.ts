import { applicantSortKey, encodeNames, guessNameParts } from '../applicant-names.js';
import type { Migration } from './migration.js';

/**
 * Two additions for reading deliveries the way an office files them (issue 12):
 *  - `deliveries.applicant_parts`: the applicants' names in their parts (applicant-names.ts), and
 *    `applicant_sort` computed again as the German-collation key of the first applicant's family, then given
 *    name (sort-key.ts) — it was the folded full name, so the list sorted by first name. Existing rows get parts
 *    guessed from their stored display name; the mailbox reads each such row's content again afterwards and puts
 *    the real parts in (marked `"guessed": true` until then).
 *  - `code_lists`: code lists local IT imported (Genericode; public data, no personal data), one row per list
 *    version, the codes as versioned JSON `{"v":1,"codes":{code: text}}`.
 */
export const migration012: Migration = {
  version: 12,
  name: 'names-and-code-lists',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN applicant_parts TEXT;
      CREATE TABLE code_lists (
        id INTEGER PRIMARY KEY,
        list_uri TEXT NOT NULL,
        version TEXT NOT NULL,
        canonical_version_uri TEXT NOT NULL,
        name TEXT NOT NULL,
        origin TEXT NOT NULL,             -- 'import' (Settings, command line) or 'folder' (the policy folder)
        file_name TEXT NOT NULL,          -- the file's name only, for "Über das Programm"
        sha256 TEXT NOT NULL,             -- of the file as imported
        imported_at INTEGER NOT NULL,
        codes TEXT NOT NULL,              -- {"v":1,"codes":{...}}
        UNIQUE (list_uri, version)
      ) STRICT;
    `);
    // paged by id: better-sqlite3 cannot write while an iterator is open
    const page = db.prepare(`SELECT id, applicants FROM deliveries WHERE id > ? ORDER BY id LIMIT 500`);
    const update = db.prepare(`UPDATE deliveries SET applicant_parts = ?, applicant_sort = ? WHERE id = ?`);
    let after = 0;
    for (;;) {
      const rows = page.all(after) as Array<{ id: number; applicants: string }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        let displays: string[] = [];
        try {
          const parsed = JSON.parse(row.applicants) as unknown;
          if (Array.isArray(parsed)) displays = parsed.filter((x): x is string => typeof x === 'string');
        } catch {
          // a row whose applicants are not JSON keeps no parts; it sorts last (NULL)
        }
        const names = displays.map(guessNameParts);
        const parts = JSON.stringify({ ...(JSON.parse(encodeNames(names)) as object), guessed: true });
        update.run(names.length === 0 ? null : parts, applicantSortKey(names), row.id);
        after = row.id;
      }
    }
  },
};
