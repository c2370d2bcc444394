/**
 * The Mark-of-the-Web on Windows: an NTFS alternate data stream `Zone.Identifier` with `ZoneId=3` (Internet zone)
 * beside every file exported from an application. Windows, Office, Acrobat Reader and the browsers then treat the
 * file as coming from outside: SmartScreen asks before a program runs, Office and Acrobat open documents in
 * Protected View. The applicant's files did come from the Internet (the Sozialplattform), so this is true.
 *
 * Elsewhere (macOS, Linux) nothing is written: there is no such stream; macOS's quarantine attribute is set only by
 * the downloading program itself and is out of scope here. Writing the mark is best effort: a file system without
 * alternate data streams (FAT32 USB stick, some network shares) keeps the file and the export succeeds.
 */
import { writeFile } from 'node:fs/promises';

/** The stream's content (CR LF, as Windows writes it; no source URL: the program has none worth stating). */
export const ZONE_IDENTIFIER_CONTENT = '[ZoneTransfer]\r\nZoneId=3\r\n';

/** `C:\…\Anlage.pdf` → `C:\…\Anlage.pdf:Zone.Identifier` (the alternate data stream's path). */
export function zoneIdentifierPath(file: string): string {
  return `${file}:Zone.Identifier`;
}

/** Whether the mark is written on this platform (`process.platform`; injectable for tests). */
export function writesMarkOfTheWeb(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32';
}

/**
 * Marks `file` as coming from the Internet zone, on Windows; returns whether a mark was written. Never throws: a
 * volume without alternate data streams cannot carry the mark, which does not make the export fail.
 */
export async function markFromInternet(file: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (!writesMarkOfTheWeb(platform)) return false;
  try {
    await writeFile(zoneIdentifierPath(file), ZONE_IDENTIFIER_CONTENT, { encoding: 'utf8' });
    return true;
  } catch {
    return false;
  }
}
