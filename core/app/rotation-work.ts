/**
 * The certificate rotation as the contract runs it (`rotation.*`, core/mailbox/rotation.ts does the steps): each
 * change written to the technical log and told to every window (`rotation.changed`); a run fetches with the old key
 * until the mailbox is empty, switches, and the store's identity is read again. Over the store factory: the same on
 * the embedded SQLite store and the shared store on PostgreSQL.
 */
import type { ServiceContext } from '../api/api-types.js';
import type { HandlerInput, HandlerResult } from '../api/contract.js';
import type { RotationStatusDto } from '../api/contract/ops.js';
import { cancelRotation, rotationStatus, runRotation, stageRotation, type RotationStatus } from '../mailbox/rotation.js';
import type { MailboxService } from './mailbox-service.js';

const dto = (s: RotationStatus): RotationStatusDto => ({
  ...s,
  steps: s.steps.map((x) => ({ ...x })),
  retired: [...s.retired],
  lastCompleted: s.lastCompleted ? { ...s.lastCompleted } : null,
});

export async function rotationNow(mailbox: MailboxService): Promise<RotationStatusDto> {
  return dto(await rotationStatus(mailbox.serviceStore()));
}

export async function stageKeys(mailbox: MailboxService, input: HandlerInput<'rotation.stage'>, context: ServiceContext): Promise<RotationStatusDto> {
  const status = dto(await stageRotation(mailbox.serviceStore(), input, await mailbox.config()));
  mailbox.log.write('info', 'rotation.staged', { next: status.next?.fingerprintSha256 ?? null });
  context.emit('rotation.changed', status);
  return status;
}

export async function runStagedRotation(mailbox: MailboxService, context: ServiceContext): Promise<HandlerResult<'rotation.run'>> {
  await mailbox.config();
  const ran = await runRotation(mailbox.serviceStore(), { adapt: mailbox.adaptShared, fetch: (identity) => mailbox.fetchWith(identity, context) });
  const run = { status: dto(ran.status), fetch: ran.fetch };
  mailbox.forgetIdentity();
  mailbox.log.write(run.status.state === 'none' ? 'info' : 'warn', run.status.state === 'none' ? 'rotation.switched' : 'rotation.interrupted', {
    fetched: run.fetch?.newMessages ?? 0,
    errorKind: run.fetch?.error?.kind ?? null,
    current: run.status.current?.fingerprintSha256 ?? null,
  });
  context.emit('rotation.changed', run.status);
  if (run.status.state === 'none') {
    // the identity changed: on PostgreSQL the status comes from the shared store's session, not the SQLite file's
    if (mailbox.pg === undefined) mailbox.storeChanged(context);
    else {
      mailbox.views.clear();
      context.emit('store.changed', await mailbox.status());
    }
  }
  return run.fetch ? { status: run.status, fetch: run.fetch } : { status: run.status };
}

export async function cancelStagedRotation(mailbox: MailboxService, context: ServiceContext): Promise<RotationStatusDto> {
  const status = dto(await cancelRotation(mailbox.serviceStore()));
  mailbox.log.write('info', 'rotation.cancelled');
  context.emit('rotation.changed', status);
  return status;
}
