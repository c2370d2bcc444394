/**
 * Code lists local IT imported (schema: migrations/009): one row per list version, replaced when the same version
 * is imported again with other content. Public data, no personal data; every import that changes what the
 * caseworkers see is in the audit log ("codelist-imported", with list, version and the file's SHA-256).
 */
import { appendAudit } from './audit-log.js';
import { auditDetail } from './audit-words.js';
import type { Db } from './database.js';
import { storeError } from './errors.js';
import { stmt } from './statements.js';

export interface NewCodeList {
  readonly listURI: string;
  readonly listVersionID: string;
  readonly canonicalVersionUri: string;
  readonly name: string;
  readonly origin: 'import' | 'folder';
  /** The file's name (no folders). */
  readonly fileName: string;
  /** Hex SHA-256 of the file. */
  readonly sha256: string;
  readonly codes: Readonly<Record<string, string>>;
}

export interface StoredCodeList extends NewCodeList {
  readonly importedAt: string;
}

export type CodeListSaveResult = 'created' | 'replaced' | 'unchanged';

const MAX = { uri: 1000, version: 200, name: 1000, fileName: 255, codes: 100_000 };

/** What either store accepts as a code list before it writes it (the same bounds on SQLite and PostgreSQL). */
export function checkNewCodeList(list: NewCodeList): void {
  if (
    !list.listURI ||
    list.listURI.length > MAX.uri ||
    !list.listVersionID ||
    list.listVersionID.length > MAX.version ||
    list.name.length > MAX.name ||
    list.fileName.length > MAX.fileName
  ) {
    throw storeError('store-invalid-input', 'code list: identification missing or too long');
  }
  if (!/^[0-9a-f]{64}$/.test(list.sha256)) throw storeError('store-invalid-input', 'code list: sha256 is not 64 hex digits');
  if (Object.keys(list.codes).length > MAX.codes) throw storeError('store-invalid-input', 'code list: too many codes');
}

export function saveCodeList(db: Db, osUser: string, list: NewCodeList, now = Date.now()): CodeListSaveResult {
  checkNewCodeList(list);
  const existing = stmt(db, 'SELECT sha256 FROM code_lists WHERE list_uri = ? AND version = ?').get(list.listURI, list.listVersionID) as { sha256: string } | undefined;
  if (existing?.sha256 === list.sha256) return 'unchanged';
  const row = [list.canonicalVersionUri, list.name, list.origin, list.fileName, list.sha256, now, JSON.stringify({ v: 1, codes: list.codes })];
  if (existing) {
    stmt(db, 'UPDATE code_lists SET canonical_version_uri = ?, name = ?, origin = ?, file_name = ?, sha256 = ?, imported_at = ?, codes = ? WHERE list_uri = ? AND version = ?').run(
      ...row,
      list.listURI,
      list.listVersionID,
    );
  } else {
    stmt(db, 'INSERT INTO code_lists(canonical_version_uri, name, origin, file_name, sha256, imported_at, codes, list_uri, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      ...row,
      list.listURI,
      list.listVersionID,
    );
  }
  const result: CodeListSaveResult = existing ? 'replaced' : 'created';
  appendAudit(
    db,
    osUser,
    { action: 'codelist-imported', detail: auditDetail({ list: list.listURI, version: list.listVersionID, sha256: list.sha256, origin: list.origin, result }) },
    now,
  );
  return result;
}

interface Row {
  list_uri: string;
  version: string;
  canonical_version_uri: string;
  name: string;
  origin: string;
  file_name: string;
  sha256: string;
  imported_at: number;
  codes: string;
}

export function readCodeLists(db: Db): StoredCodeList[] {
  const rows = stmt(db, 'SELECT * FROM code_lists ORDER BY list_uri, version').all() as Row[];
  return rows.map((r) => {
    const parsed = JSON.parse(r.codes) as { v?: number; codes?: Record<string, string> };
    return {
      listURI: r.list_uri,
      listVersionID: r.version,
      canonicalVersionUri: r.canonical_version_uri,
      name: r.name,
      origin: r.origin === 'folder' ? 'folder' : 'import',
      fileName: r.file_name,
      sha256: r.sha256,
      importedAt: new Date(r.imported_at).toISOString(),
      codes: parsed.v === 1 && parsed.codes ? parsed.codes : {},
    };
  });
}
