/**
 * Handlers of the contract area "codelists" (core/api/contract/codelists.ts): which code lists the program uses
 * and the import of a Genericode file into the open store. The shipped lists are there without a store; imported
 * ones need it (they are kept there).
 */
import path from 'node:path';
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { CodeListInfo } from '../contract/codelists.js';
import { bundledCodeLists, codeListRegistry, compareVersions, importCodeListBytes, importCodeListFile } from '../../mailbox/code-lists.js';
import type { StoredCodeList } from '../../store/index.js';
import type { MailboxService } from '../../app/mailbox-service.js';

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

export function codelistsHandlers(internals: MailboxService) {
  return {
    'codelists.list': async () => {
      const c = await internals.config();
      // through the store factory (SQLite or PostgreSQL); none open: the shipped lists only
      const open = internals.onPostgres() ? internals.pg?.store !== undefined : internals.session.store !== undefined;
      const imported = open ? (await internals.serviceStore().codeLists()).map(storedInfo) : [];
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
      const folder = internals.codeListFolder();
      return {
        lists: lists.slice(0, 5000),
        folder: {
          path: c.values.codeListFolder ?? null,
          refused: (folder?.refused ?? []).slice(0, 500).map((r) => ({ fileName: r.fileName.slice(0, 200), kind: r.kind.slice(0, 200), detail: r.detail.slice(0, 4000) })),
        },
      };
    },
    'codelists.import': async (input: HandlerInput<'codelists.import'>, context: ServiceContext) => {
      const store = internals.serviceStore();
      const done = 'file' in input ? await importCodeListFile(store, path.resolve(input.file)) : await importCodeListBytes(store, Buffer.from(input.data, 'base64'), input.name);
      const stored = (await store.codeLists()).find((l) => l.listURI === done.listURI && l.listVersionID === done.listVersionID)!;
      // the views read so far name codes by the lists of before
      internals.views.clear();
      if (!internals.onPostgres()) codeListRegistry(internals.store());
      if (done.result !== 'unchanged') context.emit('codelists.changed', { count: 1 });
      return { list: storedInfo(stored), result: done.result };
    },
  };
}
