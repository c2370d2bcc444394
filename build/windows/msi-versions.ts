/**
 * The upgrade test's "previous" MSI (.github/workflows/windows.yml): the same commit packaged with a lower version,
 * so Windows Installer sees a real major upgrade (same UpgradeCode, higher ProductVersion) without a second
 * checkout. MSI compares only the first three fields, with limits of 255.255.65535; the version must stay a plain
 * x.y.z that electron-builder writes as x.y.z.0.
 */

const MAX = [255, 255, 65_535] as const;

export function parseMsiVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (match === null) throw new Error(`not a plain x.y.z version for an MSI: ${version}`);
  const parts = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number];
  parts.forEach((part, i) => {
    if (part > MAX[i]!) throw new Error(`MSI versions allow at most ${MAX.join('.')}: ${version}`);
  });
  return parts;
}

/** The highest version below `version` that Windows Installer still orders before it. */
export function previousMsiVersion(version: string): string {
  const [major, minor, patch] = parseMsiVersion(version);
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.${MAX[2]}`;
  if (major > 0) return `${major - 1}.${MAX[1]}.${MAX[2]}`;
  throw new Error('0.0.0 has no previous version');
}

/** True when Windows Installer treats `newer` as an upgrade of `older` (first three fields compared). */
export function isMsiUpgrade(older: string, newer: string): boolean {
  const a = parseMsiVersion(older);
  const b = parseMsiVersion(newer);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** build/electron-builder.json for the previous MSI: another version in the app, another output folder. */
export function previousMsiConfig(base: Record<string, unknown>, version: string, output: string): Record<string, unknown> {
  const { $schema: _schema, ...config } = base;
  const extraMetadata = (config.extraMetadata ?? {}) as Record<string, unknown>;
  const directories = (config.directories ?? {}) as Record<string, unknown>;
  return { ...config, extraMetadata: { ...extraMetadata, version }, directories: { ...directories, output } };
}
