/**
 * The machine policy layer: values under `HKLM\SOFTWARE\Policies\<vendor>\OSCI-Postfach`, written by group policy
 * (the ADMX template in build/policy/) or by a software distribution. Read behind an interface so that the rest is
 * tested with a fake; the Windows reader runs `reg query` (reg.exe ships with every Windows) as a child process —
 * no native module in the program.
 */
import { execFile } from 'node:child_process';

export const POLICY_VENDOR = 'OSCI-Postfach-Projekt';
export const POLICY_PRODUCT = 'OSCI-Postfach';
/** The key as ADMX names it (relative to HKLM). */
export const POLICY_KEY = `Software\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`;
export const POLICY_KEY_FULL = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`;

export type RegistryValue =
  | { readonly type: 'REG_SZ' | 'REG_EXPAND_SZ'; readonly data: string }
  | { readonly type: 'REG_DWORD' | 'REG_QWORD'; readonly data: number }
  | { readonly type: 'REG_MULTI_SZ'; readonly data: readonly string[] }
  | { readonly type: 'REG_BINARY' | 'REG_NONE'; readonly data: string };

export interface PolicyReadResult {
  /** Value name → value, as found under the policy key (empty: no policy). */
  readonly values: ReadonlyMap<string, RegistryValue>;
  /** The reader could not read the policy at all (reg.exe missing, access denied): reported, never ignored. */
  readonly error?: string;
}

export interface PolicySource {
  /** A short description for messages ("Registry HKLM\\…"). */
  readonly where: string;
  read(): Promise<PolicyReadResult>;
}

/** No machine policy (other operating systems, tests). */
export const noPolicy: PolicySource = { where: 'keine Richtlinie', read: async () => ({ values: new Map() }) };

/** A fixed set of values, as the registry would hold them (tests, and documentation examples). */
export function fakePolicySource(values: Record<string, RegistryValue>, error?: string): PolicySource {
  return { where: `Registry ${POLICY_KEY_FULL} (Testdaten)`, read: async () => ({ values: new Map(Object.entries(values)), ...(error === undefined ? {} : { error }) }) };
}

const LINE = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/**
 * Parses the output of `reg query KEY` (without /s): one line per value, "    Name    REG_TYPE    data". reg.exe prints
 * REG_MULTI_SZ entries joined by a literal `\0` and REG_DWORD as hex (0x1e); subkeys (lines starting with HKEY_)
 * are not values. The layout and type names are not localised; only error texts are.
 */
export function parseRegQuery(output: string): Map<string, RegistryValue> {
  const values = new Map<string, RegistryValue>();
  for (const raw of output.split(/\r?\n/)) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    const name = m[1] as string;
    const type = m[2] as string;
    const data = m[3] ?? '';
    switch (type) {
      case 'REG_DWORD':
      case 'REG_QWORD':
        values.set(name, { type, data: Number.parseInt(data, 16) });
        break;
      case 'REG_MULTI_SZ':
        values.set(name, { type, data: data === '' ? [] : data.split('\\0').filter((s, i, all) => s !== '' || i < all.length - 1) });
        break;
      case 'REG_SZ':
      case 'REG_EXPAND_SZ':
        values.set(name, { type, data });
        break;
      default:
        values.set(name, { type: type === 'REG_BINARY' ? 'REG_BINARY' : 'REG_NONE', data });
    }
  }
  return values;
}

export type ExecFile = (file: string, args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string; spawnError?: string }>;

const nodeExecFile: ExecFile = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { windowsHide: true, timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const spawnError = error && typeof (error as NodeJS.ErrnoException).code === 'string' ? (error as NodeJS.ErrnoException).code : undefined;
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr, ...(spawnError ? { spawnError } : {}) });
    });
  });

/** The Windows reader: `reg query HKLM\…\OSCI-Postfach /reg:64` (the 64-bit view, where group policy writes). */
export function registryPolicySource(exec: ExecFile = nodeExecFile): PolicySource {
  const where = `Registry ${POLICY_KEY_FULL}`;
  return {
    where,
    read: async () => {
      const result = await exec('reg.exe', ['query', POLICY_KEY_FULL, '/reg:64']);
      if (result.spawnError !== undefined) return { values: new Map(), error: `reg.exe: ${result.spawnError}` };
      if (result.code === 0) return { values: parseRegQuery(result.stdout) };
      // exit code 1 with no output: the key does not exist, i.e. no policy is set
      if (result.code === 1 && result.stdout.trim() === '') return { values: new Map() };
      return { values: new Map(), error: `reg query exit ${result.code}: ${result.stderr.trim().slice(0, 200)}` };
    },
  };
}

/** The policy source of this platform. */
export function platformPolicySource(platform: NodeJS.Platform = process.platform): PolicySource {
  return platform === 'win32' ? registryPolicySource() : noPolicy;
}
