/**
 * Contract area "serve": what `postfach serve` itself hands to its service — a change of a personal account
 * (created, disabled, enabled, new password, role, locked after failed attempts) to be written into the store's
 * audit log, with who made it as the call's actor. Nobody calls it through the network (core/serve/roles.ts); the
 * service refuses it outside `postfach serve`. No Node and no DOM here.
 */
import { z } from 'zod';
import { serviceMethod } from '../contract-kit.js';

export const accountChangeSchema = z.lazy(() =>
  z.strictObject({
    /** The change's id in the account file (recorded once, then removed there). */
    id: z.string().regex(/^[0-9a-f]{32}$/),
    /** When the account was changed (the audit entry's own time is when it is recorded). */
    at: z.string().max(40),
    /** `signed-in` / `sign-in-failed`: a sign-in to the service (its own audit action), not a change of the account. */
    event: z.enum(['created', 'disabled', 'enabled', 'password-set', 'role-changed', 'locked', 'signed-in', 'sign-in-failed']),
    /** Left out for a failed sign-in under a name no account has: what was typed is never recorded (it may be a password). */
    account: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/)
      .optional(),
    role: z.enum(['sachbearbeitung', 'leitung', 'it']).optional(),
    /** Why a sign-in was refused. */
    reason: z.enum(['wrong-password', 'unknown-account', 'locked', 'disabled']).optional(),
  }),
);
export type AccountChangeDto = z.infer<typeof accountChangeSchema>;

export const serviceAccountsMethods = {
  'serve.recordAccountChange': serviceMethod(
    () => accountChangeSchema,
    () => z.strictObject({ recorded: z.literal(true) }),
  ),
};

export const serviceAccountsEvents = {};
