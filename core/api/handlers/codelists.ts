/**
 * Handlers of the contract area "codelists" (core/api/contract/codelists.ts): which code lists the program uses
 * and the import of a Genericode file into the open store. The shipped lists are there without a store; imported
 * ones need it (they are kept there). One-liners over core/app/code-list-work.ts.
 */
import type { ServiceContext } from '../api-types.js';
import type { HandlerInput } from '../contract.js';
import type { MailboxService } from '../../app/mailbox-service.js';
import { codeLists, importCodeList } from '../../app/code-list-work.js';

export function codelistsHandlers(internals: MailboxService) {
  return {
    'codelists.list': () => codeLists(internals),
    'codelists.import': (input: HandlerInput<'codelists.import'>, context: ServiceContext) => importCodeList(internals, input, context),
  };
}
