/**
 * The command line's office-time formatter (core/time/office-time.ts): text output states every time in the office
 * time zone, the machine setting `officeTimeZone` — as the service reports it (`app.info`) for the commands that
 * talk to it, read from the same settings for those that do not. `--json` keeps ISO 8601 with offset.
 */
import type { PostfachApi } from '../core/api/api-types.js';
import { loadConfig } from '../core/config/load-config.js';
import { officeTime, type OfficeTime } from '../core/time/office-time.js';

/** The formatter in the zone the service uses. */
export async function officeTimeOf(api: PostfachApi): Promise<OfficeTime> {
  return officeTime((await api.call('app.info', {})).officeTimeZone);
}

/** The formatter in the configured zone, for commands without a service (pki, rotate). */
export async function configuredOfficeTime(): Promise<OfficeTime> {
  return officeTime((await loadConfig()).values.officeTimeZone);
}
