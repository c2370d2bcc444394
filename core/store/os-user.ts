import os from 'node:os';

/** The OS account running the program, for the audit log ("who"). */
export function currentOsUser(): string {
  try {
    const name = os.userInfo().username;
    if (name !== '') return name;
  } catch {
    // no passwd entry (some containers): fall back to the environment
  }
  return process.env.USERNAME ?? process.env.USER ?? `uid:${process.getuid?.() ?? 'unbekannt'}`;
}
