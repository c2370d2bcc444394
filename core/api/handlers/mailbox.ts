/**
 * Handlers of the contract area "mailbox" (core/api/contract/mailbox.ts): one-liners over the application layer's
 * MailboxService (core/app/mailbox-service.ts), which owns the store session, the settings, the technical log, the
 * views, the identity and the fetch lock. What is here maps the contract's input to a call and the result to the
 * contract's DTO (evidence-dto.ts).
 */
import path from 'node:path';
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput, MethodName } from '../contract.js';
import type { ListQuery } from '../../store/index.js';
import { mailboxError } from '../../mailbox/errors.js';
import { identityDto, keyCandidates, type MailboxIdentity } from '../../mailbox/identity.js';
import { documentChunk, fullValue, messageDetail } from '../../mailbox/message-detail.js';
import { activeFindings } from '../contract/active-content.js';
import { documentActiveContent } from '../../mailbox/active-content-check.js';
import { listItemDto, messageDetailDto } from './evidence-dto.js';
import { assertExportAllowed } from '../../config/export-folders.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import { quarantinedError, type HeavyOperation } from '../service-incidents.js';
import type { ServiceOptions } from '../service-protocol.js';

export type { MailboxDeps } from '../../app/mailbox-service.js';

type In<M extends MethodName> = HandlerInput<M>;

const EXPORT_OPERATIONS: Readonly<Record<HandlerInput<'messages.export'>['format'], HeavyOperation | undefined>> = {
  pdf: 'export-pdf',
  receipt: 'export-receipt',
  attachments: 'export-attachments',
  xml: undefined,
};

function listQuery(input: HandlerInput<'messages.list'>): ListQuery {
  const { folder, ...rest } = input;
  return { ...rest, trash: folder === 'trash' };
}

export function mailboxHandlers(options: ServiceOptions, mailbox: MailboxService) {
  const store = () => mailbox.store();
  // the calls below reach the store through the service's factory: SQLite, or the shared store on PostgreSQL
  const shared = () => mailbox.serviceStore();
  const item = async (id: number) => listItemDto(await shared().getDelivery(id));
  const identityOut = (identity: MailboxIdentity) => identityDto(identity, new Date(), mailbox.officeTimeZone());
  const downloads = [path.join(options.dataDir, 'transfer', 'downloads')];

  return {
    // ---- store ----
    'store.status': (input: In<'store.status'>) => mailbox.status(input.path),
    'store.create': (input: In<'store.create'>, context: ServiceContext) => mailbox.createStore(input, context),
    'store.open': (input: In<'store.open'>, context: ServiceContext) => mailbox.openStore(input, context),
    'store.close': (_input: In<'store.close'>, context: ServiceContext) => mailbox.closeStore(context),
    'store.addProtector': async (_input: In<'store.addProtector'>) => {
      await mailbox.session.addProtector();
      return mailbox.session.status();
    },
    'store.setPassword': async (input: In<'store.setPassword'>) => {
      await store().changePassword(input.password);
      return mailbox.session.status();
    },

    // ---- identity ----
    'identity.get': async () => {
      const identity = await mailbox.identityIfAny();
      return { identity: identity === undefined ? null : identityOut(identity) };
    },
    'identity.inspectKeyFile': (input: In<'identity.inspectKeyFile'>) => ({ keys: keyCandidates(input.keyFile, input.password) }),
    'identity.setup': async (input: In<'identity.setup'>, context: ServiceContext) => identityOut(await mailbox.setUpIdentity(input, context)),
    'identity.updateConnection': async (input: In<'identity.updateConnection'>) => identityOut(await mailbox.updateConnection(input)),

    // ---- fetch ----
    'mailbox.testConnection': (input: In<'mailbox.testConnection'>) => mailbox.testConnection(input),
    'mailbox.fetch': (input: In<'mailbox.fetch'>, context: ServiceContext) => mailbox.fetch(input, context),
    'mailbox.cancelFetch': () => ({ cancelling: mailbox.cancelFetch() }),

    // ---- messages ----
    'messages.list': async (input: In<'messages.list'>) => {
      const page = await shared().list(listQuery(input));
      return { items: page.items.map(listItemDto), total: page.total, offset: page.offset, ...(page.atOrAfter === undefined ? {} : { atOrAfter: [...page.atOrAfter] }) };
    },
    'messages.counts': () => shared().counts(),
    'messages.detail': async (input: In<'messages.detail'>, context: ServiceContext) => {
      const ref = 'id' in input.ref ? input.ref.id : { messageId: input.ref.messageId };
      await mailbox.applyViewSettings();
      const messageId = 'id' in input.ref ? (await shared().getDelivery(input.ref.id)).messageId : input.ref.messageId;
      const timeZone = (await mailbox.config()).values.officeTimeZone;
      // a message whose content brought the service down is shown without it (Laufzettel, documents, the reason)
      const refused = mailbox.heavy.quarantined(messageId, 'message-detail');
      const detail = refused
        ? messageDetailDto(await messageDetail(shared(), ref, mailbox.views, { timeZone, viewRefused: quarantinedError(refused) }), timeZone)
        : messageDetailDto(
            await mailbox.heavy.run('message-detail', { messageId, ...('id' in input.ref ? { storeId: input.ref.id } : {}) }, () =>
              messageDetail(shared(), ref, mailbox.views, { timeZone }),
            ),
            timeZone,
          );
      context.emit('messages.changed', { reason: 'state', ids: [detail.item.id] });
      return detail;
    },
    'messages.documentChunk': (input: In<'messages.documentChunk'>) => documentChunk(shared(), input.id, input.document, input.offset, input.length, mailbox.views),
    'messages.documentActiveContent': async (input: In<'messages.documentActiveContent'>) => ({
      findings: activeFindings(await documentActiveContent(shared(), input.id, input.document, mailbox.views)),
    }),
    'messages.value': async (input: In<'messages.value'>) =>
      mailbox.heavy.run('message-detail', { storeId: input.id, messageId: (await shared().getDelivery(input.id)).messageId }, () =>
        fullValue(shared(), input.id, input.where, input.valueId, mailbox.views),
      ),
    'messages.setRead': async (input: In<'messages.setRead'>, context: ServiceContext) => {
      if (input.read) await shared().markRead(input.id);
      else await shared().markUnread(input.id);
      mailbox.changed(context, input.id);
      return item(input.id);
    },
    'messages.setTransferred': async (input: In<'messages.setTransferred'>, context: ServiceContext) => {
      await shared().markTransferred(input.id, input.transferred);
      mailbox.changed(context, input.id);
      return item(input.id);
    },
    'messages.setChecklist': async (input: In<'messages.setChecklist'>) => {
      await shared().setChecklist(input.id, input.ticked);
      return { checklist: [...(await shared().getDelivery(input.id)).checklist] };
    },
    'messages.setTrashed': async (input: In<'messages.setTrashed'>, context: ServiceContext) => {
      if (input.trashed) await shared().moveToTrash(input.id);
      else await shared().restoreFromTrash(input.id);
      mailbox.changed(context, input.id);
      return item(input.id);
    },
    'messages.setLegalHold': async (input: In<'messages.setLegalHold'>, context: ServiceContext) => {
      await shared().setLegalHold(input.id, input.hold);
      mailbox.changed(context, input.id);
      return item(input.id);
    },
    'messages.setCaseWork': async (input: In<'messages.setCaseWork'>, context: ServiceContext) => {
      const caseWork = await shared().setCaseWork(input.id, input.change);
      mailbox.changed(context, input.id);
      return { item: await item(input.id), caseWork };
    },
    'messages.deletePermanently': async (input: In<'messages.deletePermanently'>, context: ServiceContext) => {
      await shared().deletePermanently(input.id);
      mailbox.changed(context, input.id, 'deleted');
      return { deleted: true as const };
    },
    'messages.export': async (input: In<'messages.export'>, context: ServiceContext) => {
      // loaded on first use: the PDF libraries take a while to load and most service starts never export
      const { exportMessage } = await import('../../mailbox/export.js');
      const c = await mailbox.config();
      assertExportAllowed(c, input.target, downloads);
      if (input.document !== undefined && input.format !== 'attachments')
        throw mailboxError('document-missing', `a single document is exported with the format attachments, not ${input.format}`);
      await mailbox.applyViewSettings();
      const work = () =>
        exportMessage(shared(), input.id, input.format, path.resolve(input.target), mailbox.views, {
          timeZone: c.values.officeTimeZone,
          ...(input.document === undefined ? {} : { only: input.document }),
        });
      // the XML is a byte copy: never heavy, never refused (the way out for a message that is refused otherwise)
      const operation = EXPORT_OPERATIONS[input.format];
      const result =
        operation === undefined ? await work() : await mailbox.heavy.run(operation, { storeId: input.id, messageId: (await shared().getDelivery(input.id)).messageId }, work);
      mailbox.changed(context, input.id);
      return result;
    },
    'messages.recordPrinted': async (input: In<'messages.recordPrinted'>) => {
      await shared().recordPrinted(input.id);
      return { recorded: true as const };
    },

    // ---- audit log ----
    'audit.list': (input: In<'audit.list'>) => {
      // the contract checked that both parse
      const { from, to, ...rest } = input;
      const fromMs = from === undefined ? undefined : Date.parse(from);
      const toMs = to === undefined ? undefined : Date.parse(to);
      return {
        entries: store().auditEntries({ ...rest, ...(fromMs === undefined ? {} : { from: fromMs }), ...(toMs === undefined ? {} : { to: toMs }) }),
      };
    },
    'audit.exportCsv': async (input: In<'audit.exportCsv'>) => {
      const target = path.resolve(input.target);
      const c = await mailbox.config();
      assertExportAllowed(c, target, downloads);
      const s = store();
      await s.exportAuditCsv(target, input.delimiter ?? ',', c.values.officeTimeZone);
      return { path: target, entries: s.verifyAuditLog().entries };
    },
    'audit.verify': () => {
      const v = store().verifyAuditLog();
      return v.ok ? { ok: true, entries: v.entries } : { ok: false, entries: v.entries, firstBadSeq: v.firstBadSeq, problem: v.problem };
    },

    // ---- retention ----
    'retention.settings': () => shared().getSettings(),
    'retention.updateSettings': (input: In<'retention.updateSettings'>) => mailbox.updateRetention(input),
    'retention.plan': async () => ({ candidates: await shared().planRetention() }),
    'retention.apply': async (input: In<'retention.apply'>, context: ServiceContext) => {
      const { deleted } = await shared().applyRetention({ onlyIds: input.ids });
      if (deleted.length > 0) context.emit('messages.changed', { reason: 'retention', ids: deleted.slice(0, 1000).map((d) => d.id) });
      return { deleted: [...deleted] };
    },
  };
}
