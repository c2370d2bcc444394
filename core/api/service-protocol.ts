/**
 * The messages between a front end's process (Electron main, the loopback bridge, the CLI) and the service that runs
 * the engine off the UI thread (a worker thread, or an Electron utility process). The same messages travel over
 * `worker.postMessage` and `utilityProcess.postMessage`; both sides validate what they receive.
 *
 *   host → service:  init (once, first) · call · host-result (answers host-call, by id) · shutdown
 *   service → host:  ready (answers init) · result (answers call, by id) · event · fatal (the service cannot go on)
 *                    · host-call (the service asks the host for something only the host has: the OS key store)
 */
import { z } from 'zod';
import { callResultSchema, postfachErrorJsonSchema } from './wire.js';

/**
 * The shared store on PostgreSQL (issue 13, `postfach serve` with `postgresql` in its settings): where the database
 * is, how the connection is protected, and the mailbox key file (the data key wrapped by the store password, mode
 * 0600). The database password travels only inside the process (host → its worker thread), never to a browser.
 */
export const pgSettingsSchema = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1).max(63),
    user: z.string().min(1).max(63),
    password: z.string().max(1000).optional(),
    /** verify-full: TLS with the server's certificate checked (default) · require: TLS unchecked · disable: loopback only. */
    tls: z.enum(['verify-full', 'require', 'disable']).default('verify-full'),
    /** CA certificate file (PEM) for verify-full, where the server's certificate is not from a public CA. */
    tlsCaFile: z.string().min(1).max(4096).optional(),
    /** The mailbox key file: the data key wrapped by the store password (and the recovery key), mode 0600. */
    keyFile: z.string().min(1).max(4096),
  })
  .strict();
export type PgSettings = z.infer<typeof pgSettingsSchema>;

export const serviceOptionsSchema = z
  .object({
    /** The data folder (store, settings); created by the service where missing. */
    dataDir: z.string().min(1).max(4096),
    appVersion: z.string().max(100),
    /** serve: `postfach serve`, browsers of the office network signed in (the browser mode's UI). */
    host: z.enum(['desktop', 'browser', 'cli', 'serve']),
    /**
     * Id of the OS key store protector the host offers (e.g. `safestorage:<os user>`); the service then wraps and
     * unwraps the store's data key through `host-call`s. Absent: no protector (browser mode, command line).
     */
    protectorId: z.string().min(1).max(200).optional(),
    /** The store is the shared one on PostgreSQL (postfach serve); absent: the embedded SQLite store. */
    postgresql: pgSettingsSchema.optional(),
  })
  .strict();
export type ServiceOptions = z.infer<typeof serviceOptionsSchema>;

const callId = z.number().int().nonnegative();

/** What the service may ask of its host. */
export const hostOperationSchema = z.enum(['protector.wrap', 'protector.unwrap']);
export type HostOperation = z.infer<typeof hostOperationSchema>;

export const hostToServiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), options: serviceOptionsSchema }),
  /** `actor`: the person the call works for (postfach serve: the signed-in person), named in the audit log. */
  z.object({ type: z.literal('call'), id: callId, method: z.string().max(100), input: z.unknown(), actor: z.string().min(1).max(200).optional() }),
  z.object({ type: z.literal('shutdown') }),
  z.object({
    type: z.literal('host-result'),
    id: callId,
    result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data: z.string().max(16_384) }), z.object({ ok: z.literal(false), error: postfachErrorJsonSchema })]),
  }),
]);
export type HostToService = z.infer<typeof hostToServiceSchema>;

export const serviceToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), id: callId, result: callResultSchema }),
  z.object({ type: z.literal('event'), event: z.string().max(100), payload: z.unknown() }),
  z.object({ type: z.literal('fatal'), error: postfachErrorJsonSchema }),
  /** Bytes travel base64; a wrapped data key is a few hundred bytes. */
  z.object({ type: z.literal('host-call'), id: callId, op: hostOperationSchema, data: z.string().max(16_384) }),
]);
export type ServiceToHost = z.infer<typeof serviceToHostSchema>;
