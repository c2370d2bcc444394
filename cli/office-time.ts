/**
 * The command line's office-time formatter (core/time/office-time.ts): text output states every time in the office
 * time zone, the machine setting `officeTimeZone` — as the service reports it (`app.info`) for the commands that
 * talk to it, read from the same settings for those that do not. `--json` keeps ISO 8601 with offset.
 */
import type { PostfachApi } from '../core/api/api-types.js';
import { officeTime, type OfficeTime } from '../core/time/office-time.js';

/** The formatter in the zone the service uses. */
export async function officeTimeOf(api: PostfachApi): Promise<OfficeTime> {
  return officeTime((await api.call('app.info', {})).officeTimeZone);
}

/**
 * The formatter in the configured zone, for commands without a service (pki, rotate). The settings are loaded
 * here, on first use: the mailbox commands (fetch, list, show) import this module for officeTimeOf, and the
 * settings with their schemas and the PKCS#12 reader (node-forge) cost about 50 ms of CPU at their start.
 */
export async function configuredOfficeTime(): Promise<OfficeTime> {
  const { loadConfig } = await import('../core/config/load-config.js');
  return officeTime((await loadConfig()).values.officeTimeZone);
}
