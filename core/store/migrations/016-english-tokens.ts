import type { Migration } from './migration.js';

/**
 * Stored tokens in one language (issue 11 "One home for kinds, words, bytes and time"): the list's signature status
 * (`deliveries.signature_status`) was kept as a German token beside the English codes of the evidence
 * ('vertrauenswuerdig' next to 'trusted'); since this schema it is the English code of core/domain
 * (SIGNATURE_STATUSES). Existing rows are converted; any other value (damaged, or not written by the fetch engine)
 * is left as it is and read as "not stated", as before.
 *
 * The delivery's state is not stored as a token (the schema derives `state_rank` from the steps' times), so it needs
 * no conversion. The German tokens here are a frozen copy of what earlier versions wrote.
 */
export const migration016: Migration = {
  version: 16,
  name: 'english-tokens',
  up(db) {
    const update = db.prepare('UPDATE deliveries SET signature_status = ? WHERE signature_status = ?');
    for (const [german, english] of SIGNATURE_STATUS_TOKENS) update.run(english, german);
  },
};

/** Version-14 token → English code. */
const SIGNATURE_STATUS_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['vertrauenswuerdig', 'trusted'],
  ['unbekannter-aussteller', 'unknown-issuer'],
  ['ungueltig', 'invalid'],
  ['unsigniert', 'unsigned'],
  ['nicht-pruefbar', 'not-checkable'],
];
