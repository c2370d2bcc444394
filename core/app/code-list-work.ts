/**
 * The code lists as the contract shows and imports them (`codelists.*`): the shipped lists (there without a store),
 * those imported into the open store or taken from IT's folder — an imported list of a shipped version replaces it,
 * as in the registry — and what the folder refused; a Genericode file (a path, or its bytes from the browser)
 * imported into the store, after which the views read so far are forgotten (they name codes by the lists of before).
 */
import path from 'node:path';
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import type { CodeListInfo } from '../api/contract/codelists.js';
import { bundledCodeLists, codeListRegistry, compareVersions, importCodeListBytes, importCodeListFile } from '../mailbox/code-lists.js';
import type { StoredCodeList } from '../store/index.js';
import type { MailboxService } from './mailbox-service.js';

function storedInfo(l: StoredCodeList): CodeListInfo {
  return {
    listURI: l.listURI,
    listVersionID: l.listVersionID,
    name: l.name,
    origin: l.origin === 'folder' ? 'folder' : 'imported',
    source: l.fileName,
    codes: Object.keys(l.codes).length,
    importedAt: l.importedAt,
    sha256: l.sha256,
  };
}

export async function codeLists(mailbox: MailboxService): Promise<HandlerResult<'codelists.list'>> {
  const c = await mailbox.config();
  // through the store factory (SQLite or PostgreSQL); none open: the shipped lists only
  const open = mailbox.onPostgres() ? mailbox.pg?.store !== undefined : mailbox.session.store !== undefined;
  const imported = open ? (await mailbox.serviceStore().codeLists()).map(storedInfo) : [];
  const shipped: CodeListInfo[] = bundledCodeLists().map((l) => ({
    listURI: l.listURI,
    listVersionID: l.listVersionID,
    name: l.name,
    origin: 'shipped',
    source: l.source,
    codes: Object.keys(l.codes).length,
  }));
  // an imported list of a shipped version replaces it (as in the registry)
  const lists = [...imported, ...shipped.filter((s) => !imported.some((i) => i.listURI === s.listURI && i.listVersionID === s.listVersionID))].sort(
    (a, b) => a.name.localeCompare(b.name, 'de') || a.listURI.localeCompare(b.listURI) || compareVersions(b.listVersionID, a.listVersionID),
  );
  const folder = mailbox.codeListFolder();
  return {
    lists: lists.slice(0, 5000),
    folder: {
      path: c.values.codeListFolder ?? null,
      refused: (folder?.refused ?? []).slice(0, 500).map((r) => ({ fileName: r.fileName.slice(0, 200), kind: r.kind.slice(0, 200), detail: r.detail.slice(0, 4000) })),
    },
  };
}

export async function importCodeList(mailbox: MailboxService, input: HandlerInput<'codelists.import'>, context: ServiceContext): Promise<HandlerResult<'codelists.import'>> {
  const store = mailbox.serviceStore();
  const done = 'file' in input ? await importCodeListFile(store, path.resolve(input.file)) : await importCodeListBytes(store, Buffer.from(input.data, 'base64'), input.name);
  const stored = (await store.codeLists()).find((l) => l.listURI === done.listURI && l.listVersionID === done.listVersionID)!;
  // the views read so far name codes by the lists of before
  mailbox.views.clear();
  if (!mailbox.onPostgres()) codeListRegistry(mailbox.store());
  if (done.result !== 'unchanged') context.emit('codelists.changed', { count: 1 });
  return { list: storedInfo(stored), result: done.result };
}
