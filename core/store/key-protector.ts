/**
 * A key protector wraps the store's data key with a secret the store never sees — in the desktop app, Electron's
 * `safeStorage` (DPAPI on Windows, Keychain on macOS, libsecret on Linux), which ties the wrapper to one OS user.
 * core/ never imports electron: the app passes an object like
 *
 *   { id: `safestorage:${os.userInfo().username}`,
 *     wrap: (key) => safeStorage.encryptString(key.toString('base64')),
 *     unwrap: (blob) => Buffer.from(safeStorage.decryptString(Buffer.from(blob)), 'base64') }
 *
 * The store checks every unwrapped key against the key file's key check before using it, so a protector need not
 * authenticate (safeStorage's Linux "basic_text" fallback does not).
 */
export interface KeyProtector {
  /** Stable id of this wrapper in the key file, e.g. `safestorage:<os user>`; one wrapper per id. No secrets. */
  readonly id: string;
  wrap(key: Uint8Array): Uint8Array | Promise<Uint8Array>;
  unwrap(blob: Uint8Array): Uint8Array | Promise<Uint8Array>;
}
