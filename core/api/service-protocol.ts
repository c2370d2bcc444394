/**
 * The messages between a front end's process (Electron main, the loopback bridge, the CLI) and the service that runs
 * the engine off the UI thread (a worker thread, or an Electron utility process). The same messages travel over
 * `worker.postMessage` and `utilityProcess.postMessage`; both sides validate what they receive.
 *
 *   host → service:  init (once, first) · call · shutdown
 *   service → host:  ready (answers init) · result (answers call, by id) · event · fatal (the service cannot go on)
 */
import { z } from 'zod';
import { callResultSchema, postfachErrorJsonSchema } from './wire.js';

export const serviceOptionsSchema = z
  .object({
    /** The data folder (store, settings); created by the service where missing. */
    dataDir: z.string().min(1).max(4096),
    appVersion: z.string().max(100),
    host: z.enum(['desktop', 'browser']),
  })
  .strict();
export type ServiceOptions = z.infer<typeof serviceOptionsSchema>;

const callId = z.number().int().nonnegative();

export const hostToServiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), options: serviceOptionsSchema }),
  z.object({ type: z.literal('call'), id: callId, method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type HostToService = z.infer<typeof hostToServiceSchema>;

export const serviceToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), id: callId, result: callResultSchema }),
  z.object({ type: z.literal('event'), event: z.string().max(100), payload: z.unknown() }),
  z.object({ type: z.literal('fatal'), error: postfachErrorJsonSchema }),
]);
export type ServiceToHost = z.infer<typeof serviceToHostSchema>;
