/**
 * ControlBlock rules (PROTOCOL.md §8): which elements each message type must, may or must not carry, and the
 * client's check of every response (Response = own Challenge, ConversationId and SequenceNumber equal).
 */
import { osciError } from '../errors.js';
import type { ControlBlock, MessageType } from './model.js';

type Presence = 'req' | 'opt' | 'none';
interface Rule {
  readonly response: Presence;
  readonly challenge: Presence;
  readonly conversationId: Presence;
  readonly sequenceNumber: Presence;
}

const r = (response: Presence, challenge: Presence, conversationId: Presence, sequenceNumber: Presence): Rule => ({ response, challenge, conversationId, sequenceNumber });

export const CONTROL_BLOCK_RULES: Partial<Record<MessageType, Rule>> = {
  InitDialog: r('none', 'req', 'none', 'none'),
  ResponseToInitDialog: r('req', 'req', 'req', 'none'),
  GetMessageId: r('opt', 'req', 'opt', 'req'),
  ResponseToGetMessageId: r('req', 'opt', 'req', 'req'),
  StoreDelivery: r('opt', 'req', 'opt', 'req'),
  ResponseToStoreDelivery: r('req', 'opt', 'req', 'req'),
  FetchDelivery: r('req', 'req', 'req', 'req'),
  ResponseToFetchDelivery: r('req', 'req', 'req', 'req'),
  FetchProcessCard: r('req', 'req', 'req', 'req'),
  ResponseToFetchProcessCard: r('req', 'req', 'req', 'req'),
  ExitDialog: r('req', 'req', 'req', 'req'),
  ResponseToExitDialog: r('req', 'opt', 'req', 'req'),
  PartialFetchDelivery: r('req', 'req', 'req', 'req'),
  ResponseToPartialFetchDelivery: r('req', 'req', 'req', 'req'),
  PartialStoreDelivery: r('opt', 'req', 'opt', 'req'),
  ResponseToPartialStoreDelivery: r('req', 'opt', 'req', 'req'),
  ForwardDelivery: r('opt', 'req', 'opt', 'req'),
  ResponseToForwardDelivery: r('req', 'opt', 'opt', 'opt'),
  MediateDelivery: r('req', 'req', 'req', 'req'),
  ResponseToMediateDelivery: r('req', 'req', 'req', 'req'),
  AcceptDelivery: r('opt', 'req', 'none', 'none'),
  ResponseToAcceptDelivery: r('req', 'opt', 'none', 'none'),
  ProcessDelivery: r('opt', 'req', 'none', 'none'),
  ResponseToProcessDelivery: r('req', 'opt', 'none', 'none'),
};

/** Types that need an explicit dialog (9802 otherwise). */
export const EXPLICIT_DIALOG_ONLY: readonly MessageType[] = ['FetchDelivery', 'FetchProcessCard', 'ExitDialog', 'PartialFetchDelivery', 'MediateDelivery'];

/** Checks the presence rules of §8.1; returns the list of violations (empty = fine). */
export function controlBlockViolations(type: MessageType, cb: ControlBlock | undefined): string[] {
  const rule = CONTROL_BLOCK_RULES[type];
  if (!rule) return [];
  if (!cb) return ['ControlBlock missing'];
  const out: string[] = [];
  const check = (name: string, value: unknown, p: Presence) => {
    if (p === 'req' && value === undefined) out.push(`${name} missing`);
    if (p === 'none' && value !== undefined) out.push(`${name} not allowed`);
  };
  check('Response', cb.response, rule.response);
  check('Challenge', cb.challenge, rule.challenge);
  check('ConversationId', cb.conversationId, rule.conversationId);
  check('SequenceNumber', cb.sequenceNumber, rule.sequenceNumber);
  return out;
}

export interface SentControlBlock {
  readonly challenge: string;
  readonly conversationId: string | undefined;
  readonly sequenceNumber: number | undefined;
}

/**
 * The client's check of a response against the request it answers (PROTOCOL.md §8.2); throws
 * `dialog-mismatch` (the library's 9400 situation).
 */
export function checkResponseControlBlock(type: MessageType, cb: ControlBlock | undefined, sent: SentControlBlock): void {
  const violations = controlBlockViolations(type, cb);
  if (violations.length > 0) throw osciError('dialog-mismatch', `${type}: ${violations.join(', ')}`, { osciCode: '9400' });
  if (!cb) throw osciError('dialog-mismatch', `${type}: ControlBlock missing`, { osciCode: '9400' });
  if (cb.response !== sent.challenge) throw osciError('dialog-mismatch', `${type}: Response does not equal the request's Challenge`, { osciCode: '9400' });
  if (sent.conversationId !== undefined && cb.conversationId !== sent.conversationId) {
    throw osciError('dialog-mismatch', `${type}: ConversationId ${cb.conversationId ?? '(none)'} instead of ${sent.conversationId}`, { osciCode: '9400' });
  }
  if (sent.sequenceNumber !== undefined && cb.sequenceNumber !== undefined && cb.sequenceNumber !== sent.sequenceNumber) {
    throw osciError('dialog-mismatch', `${type}: SequenceNumber ${cb.sequenceNumber} instead of ${sent.sequenceNumber}`, { osciCode: '9400' });
  }
  if (sent.sequenceNumber !== undefined && cb.sequenceNumber === undefined && CONTROL_BLOCK_RULES[type]?.sequenceNumber === 'req') {
    throw osciError('dialog-mismatch', `${type}: SequenceNumber missing`, { osciCode: '9400' });
  }
}

export interface SupplierDialogState {
  readonly conversationId: string;
  /** The Challenge the intermediary sent in its last response of this dialog. */
  readonly lastChallenge: string;
  /** The SequenceNumber the next request must carry. */
  readonly nextSequenceNumber: number;
}

/**
 * The intermediary's check of a request (PROTOCOL.md §8.3): the presence rules, explicit-dialog-only types
 * (9802 without ConversationId), and for explicit dialogs ConversationId known, Response = last issued
 * Challenge, SequenceNumber = the expected one (9400). Returns the OSCI code to answer with, or undefined.
 */
export function checkRequestControlBlock(type: MessageType, cb: ControlBlock | undefined, dialog: SupplierDialogState | undefined): '9400' | '9802' | undefined {
  if (!cb) return '9400';
  if (EXPLICIT_DIALOG_ONLY.includes(type) && cb.conversationId === undefined) return '9802';
  if (controlBlockViolations(type, cb).length > 0) return '9400';
  if (cb.conversationId === undefined) return undefined; // implicit dialog (GetMessageId, StoreDelivery)
  if (!dialog || dialog.conversationId !== cb.conversationId) return '9400';
  if (cb.response !== dialog.lastChallenge) return '9400';
  if (cb.sequenceNumber !== dialog.nextSequenceNumber) return '9400';
  return undefined;
}
