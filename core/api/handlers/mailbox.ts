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
import { identityDto, keyCandidates, type MailboxIdentity } from '../../mailbox/identity.js';
import { documentChunk, fullValue } from '../../mailbox/message-detail.js';
import { activeFindings } from '../contract/active-content.js';
import { documentActiveContent } from '../../mailbox/active-content-check.js';
import { listItemDto, messageDetailDto } from './evidence-dto.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import { showMessage } from '../../app/message-view.js';
import { exportMessageFiles } from '../../app/message-export.js';
import { auditEntries, exportAuditCsv, verifyAudit } from '../../app/audit-log.js';
import { applyRetention, changeMessage, deleteMessage } from '../../app/message-state.js';
import { changeStorePassword, renewStoreRecoveryKey } from '../../app/store-keys.js';
import type { ServiceOptions } from '../service-protocol.js';

export type { MailboxDeps } from '../../app/mailbox-service.js';

type In<M extends MethodName> = HandlerInput<M>;

function listQuery(input: HandlerInput<'messages.list'>): ListQuery {
  const { folder, ...rest } = input;
  return { ...rest, trash: folder === 'trash' };
}

export function mailboxHandlers(options: ServiceOptions, mailbox: MailboxService) {
  // the calls below reach the store through the service's factory: SQLite, or the shared store on PostgreSQL
  const shared = () => mailbox.serviceStore();
  const identityOut = (identity: MailboxIdentity) => identityDto(identity, new Date(), mailbox.officeTimeZone());
  const downloads = [path.join(options.dataDir, 'transfer', 'downloads')];

  return {
    // ---- store ----
    // store.status and store.open answer from the service's first stage (core/api/service-start.ts)
    'store.create': (input: In<'store.create'>, context: ServiceContext) => mailbox.createStore(input, context),
    'store.close': (_input: In<'store.close'>, context: ServiceContext) => mailbox.closeStore(context),
    'store.addProtector': async (_input: In<'store.addProtector'>) => {
      await mailbox.session.addProtector();
      return mailbox.session.status();
    },
    'store.setPassword': (input: In<'store.setPassword'>) => changeStorePassword(mailbox, input.password),
    'store.renewRecoveryKey': () => renewStoreRecoveryKey(mailbox),

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
    'messages.detail': (input: In<'messages.detail'>, context: ServiceContext) =>
      showMessage(mailbox, input.ref, context).then(({ facts, timeZone }) => messageDetailDto(facts, timeZone)),
    'messages.documentChunk': (input: In<'messages.documentChunk'>) => documentChunk(shared(), input.id, input.document, input.offset, input.length, mailbox.views),
    'messages.documentActiveContent': async (input: In<'messages.documentActiveContent'>) => ({
      findings: activeFindings(await documentActiveContent(shared(), input.id, input.document, mailbox.views)),
    }),
    'messages.value': async (input: In<'messages.value'>) =>
      mailbox.heavy.run('message-detail', { storeId: input.id, messageId: (await shared().getDelivery(input.id)).messageId }, () =>
        fullValue(shared(), input.id, input.where, input.valueId, mailbox.views),
      ),
    'messages.setRead': async (input: In<'messages.setRead'>, context: ServiceContext) =>
      listItemDto((await changeMessage(mailbox, context, input.id, (s) => (input.read ? s.markRead(input.id) : s.markUnread(input.id)))).item),
    'messages.setTransferred': async (input: In<'messages.setTransferred'>, context: ServiceContext) =>
      listItemDto((await changeMessage(mailbox, context, input.id, (s) => s.markTransferred(input.id, input.transferred))).item),
    'messages.setChecklist': async (input: In<'messages.setChecklist'>) => {
      await shared().setChecklist(input.id, input.ticked);
      return { checklist: [...(await shared().getDelivery(input.id)).checklist] };
    },
    'messages.setTrashed': async (input: In<'messages.setTrashed'>, context: ServiceContext) =>
      listItemDto((await changeMessage(mailbox, context, input.id, (s) => (input.trashed ? s.moveToTrash(input.id) : s.restoreFromTrash(input.id)))).item),
    'messages.setLegalHold': async (input: In<'messages.setLegalHold'>, context: ServiceContext) =>
      listItemDto((await changeMessage(mailbox, context, input.id, (s) => s.setLegalHold(input.id, input.hold))).item),
    'messages.setCaseWork': async (input: In<'messages.setCaseWork'>, context: ServiceContext) => {
      const { result, item } = await changeMessage(mailbox, context, input.id, (s) => s.setCaseWork(input.id, input.change));
      return { item: listItemDto(item), caseWork: result };
    },
    'messages.deletePermanently': (input: In<'messages.deletePermanently'>, context: ServiceContext) =>
      deleteMessage(mailbox, context, input.id).then(() => ({ deleted: true as const })),
    'messages.export': (input: In<'messages.export'>, context: ServiceContext) => exportMessageFiles(mailbox, input, downloads, context),
    'messages.recordPrinted': async (input: In<'messages.recordPrinted'>) => {
      await shared().recordPrinted(input.id);
      return { recorded: true as const };
    },

    // ---- audit log ----
    'audit.list': async (input: In<'audit.list'>) => ({ entries: await auditEntries(mailbox, input) }),
    'audit.exportCsv': (input: In<'audit.exportCsv'>) => exportAuditCsv(mailbox, input, downloads),
    'audit.verify': () => verifyAudit(mailbox),

    // ---- retention ----
    'retention.settings': () => shared().getSettings(),
    'retention.updateSettings': (input: In<'retention.updateSettings'>) => mailbox.updateRetention(input),
    'retention.plan': async () => ({ candidates: await shared().planRetention() }),
    'retention.apply': async (input: In<'retention.apply'>, context: ServiceContext) => ({ deleted: await applyRetention(mailbox, input, context) }),
  };
}
