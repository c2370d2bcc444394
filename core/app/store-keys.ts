/**
 * The store's own keys as the contract changes them (`store.setPassword`, `store.renewRecoveryKey`): the password
 * and the recovery key that wrap the data key. On the embedded SQLite store they live in its `PATH.keys.json`; on
 * PostgreSQL in the key file IT named in serve.json (core/app/pg-session.ts) — outside the database in both cases,
 * audited in the store. Each is written to the technical log (never the secret).
 */
import type { StoreStatus } from '../mailbox/store-session.js';
import type { MailboxService } from './mailbox-service.js';

export async function changeStorePassword(mailbox: MailboxService, password: string): Promise<StoreStatus> {
  if (mailbox.pg !== undefined) await mailbox.pg.changePassword(password);
  else await mailbox.store().changePassword(password);
  mailbox.log.write('info', 'store.password-changed', { backend: mailbox.pg === undefined ? 'sqlite' : 'postgresql' });
  return mailbox.status();
}

export async function renewStoreRecoveryKey(mailbox: MailboxService): Promise<{ status: StoreStatus; recoveryKey: string }> {
  const recoveryKey = mailbox.pg !== undefined ? await mailbox.pg.renewRecoveryKey() : await mailbox.store().renewRecoveryKey();
  mailbox.log.write('info', 'store.recovery-key-renewed', { backend: mailbox.pg === undefined ? 'sqlite' : 'postgresql' });
  return { status: await mailbox.status(), recoveryKey };
}
