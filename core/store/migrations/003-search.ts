import { contentText, indexText } from '../search-text.js';
import type { Migration } from './migration.js';

/**
 * Full-text search (FTS5) inside the encrypted database. Contentless (content=''): the index keeps tokens only,
 * no second copy of the text; rowid = deliveries.id. Text is folded in JS first (search-text.ts), so the index
 * finds DIN 91379 letters from their base letters; unicode61 with remove_diacritics 2 does the rest.
 * Existing deliveries are indexed from their stored fields and inline content.
 */
export const migration003: Migration = {
  version: 3,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE delivery_search USING fts5(
        names, ids, subject, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );
    `);
    // paged by id: better-sqlite3 cannot write while an iterator is open, and a page keeps memory bounded
    const page = db.prepare(
      `SELECT d.id, d.message_id, d.subject, d.applicants, x.content_inline FROM deliveries d
       LEFT JOIN delivery_details x ON x.delivery_id = d.id WHERE d.id > ? ORDER BY d.id LIMIT 200`,
    );
    const insert = db.prepare('INSERT INTO delivery_search(rowid, names, ids, subject, body) VALUES (?, ?, ?, ?, ?)');
    let after = 0;
    for (;;) {
      const rows = page.all(after) as Array<{ id: number; message_id: string; subject: string | null; applicants: string; content_inline: Buffer | null }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const names = (JSON.parse(row.applicants) as string[]).join(' ');
        const body = row.content_inline === null ? '' : contentText(row.content_inline);
        insert.run(row.id, indexText(names), indexText(`${row.message_id} ${row.id}`), indexText(row.subject ?? ''), indexText(body));
        after = row.id;
      }
    }
  },
};
