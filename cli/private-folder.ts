/**
 * A folder of a well-known name in a shared place (the system's temp folder) that this user may reuse across runs:
 * created with mode 0700 when missing, and when it exists already it must be a real folder (no symbolic link) of
 * this user that nobody else can read or write — another user on a shared machine could otherwise create it first
 * and read or swap what the program puts there. On Windows the temp folder is the user's own (%LOCALAPPDATA%\Temp),
 * so only the symbolic-link check applies.
 *
 * The command line's own concern: only `postfach demo` has such a default folder, and it checks it before the
 * service is started with that folder as its data folder (the service writes its technical log there at once).
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { PostfachError } from '../core/errors.js';

export function ensurePrivateFolder(dir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const problem = !stat.isDirectory()
    ? 'is not a folder (a symbolic link or a file)'
    : platform === 'win32'
      ? undefined
      : stat.uid !== process.getuid?.()
        ? `belongs to user id ${stat.uid}, not to this user`
        : (stat.mode & 0o077) !== 0
          ? `has mode ${(stat.mode & 0o777).toString(8)}, others have access`
          : undefined;
  if (problem === undefined) return;
  throw new PostfachError(
    'folder-not-private',
    {
      de: 'Der Ordner gehört nicht Ihnen allein (ein anderer Benutzer kann ihn lesen oder hat ihn angelegt) und wird deshalb nicht verwendet. Bitte einen eigenen Ordner angeben oder diesen löschen lassen.',
      en: 'The folder does not belong to you alone (another user can read it or created it) and is therefore not used. Please give a folder of your own or have this one removed.',
    },
    `folder ${problem}`,
  );
}
