/**
 * The effective settings, from three layers in this order of precedence:
 *
 *   1. machine policy (registry; sets AND locks),
 *   2. machine file `settings` (sets and locks), then its `defaults` below the user,
 *   3. the caseworker's own settings (the data folder's workspace.json),
 *   4. the built-in defaults of the declaration (core/config/settings.ts).
 *
 * Every value is validated against the declaration; a wrong one is reported (ConfigProblem: German sentence +
 * detail) and skipped, so the next layer down applies — the program still starts with what is valid. Certificate
 * files are read and parsed here, so a policy naming a missing or broken file is reported at start, not at the
 * first fetch — with the PKCS#12/PEM reader (node-forge), loaded only where a layer names certificate files: the
 * service's first answers need the settings, not node-forge (issue 14, app start).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PostfachError, type UserText } from '../errors.js';
import { machineFilePath, readMachineFile } from './machine-file.js';
import { platformPolicySource, type PolicySource, type RegistryValue } from './policy-source.js';
import { problem, type ConfigLayer, type ConfigProblem } from './problems.js';
import { SETTINGS, valueSchema, type ConfigValues, type SettingDeclaration, type SettingKey, type SettingSource } from './settings.js';

export interface SettingState {
  readonly source: SettingSource;
  /** Set by the policy or the machine file's `settings`: the program shows it locked ("von Ihrer IT festgelegt"). */
  readonly locked: boolean;
}

export interface ResolvedConfig {
  readonly values: ConfigValues;
  readonly state: Readonly<Record<SettingKey, SettingState>>;
  readonly problems: readonly ConfigProblem[];
  /** Where the layers were read from (for `postfach config` and the support view). */
  readonly origins: { readonly policy: string; readonly machineFile: string };
}

export interface LoadConfigOptions {
  /** Default: the registry on Windows, none elsewhere. */
  readonly policy?: PolicySource;
  /** Default: machineFilePath(); null: no machine file. */
  readonly machineFile?: string | null;
  /** The caseworker's settings (only settings the declaration marks userEditable are taken). */
  readonly user?: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
}

/** `%NAME%` expanded from the environment (case-insensitive, as Windows does); unknown names stay as written. */
export function expandEnvironment(value: string, env: NodeJS.ProcessEnv): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
  return value.replace(/%([A-Za-z0-9_()]+)%/g, (whole, name: string) => lower.get(name.toLowerCase()) ?? whole);
}

/** A registry value as the declaration's type (REG_DWORD → number or boolean, REG_MULTI_SZ → list, …). */
function fromRegistry(d: SettingDeclaration, v: RegistryValue): { value: unknown } | { error: string } {
  switch (d.kind) {
    case 'integer':
      if (v.type === 'REG_DWORD' || v.type === 'REG_QWORD') return { value: v.data };
      if ((v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') && /^\s*\d+\s*$/.test(v.data)) return { value: Number(v.data) };
      return { error: `${v.type} where REG_DWORD is expected` };
    case 'boolean':
      if (v.type === 'REG_DWORD' || v.type === 'REG_QWORD') return v.data === 0 || v.data === 1 ? { value: v.data === 1 } : { error: `REG_DWORD ${v.data} (expected 0 or 1)` };
      if (v.type === 'REG_SZ' && /^(0|1|true|false)$/i.test(v.data.trim())) return { value: /^(1|true)$/i.test(v.data.trim()) };
      return { error: `${v.type} where REG_DWORD 0/1 is expected` };
    case 'pathList':
    case 'certificateFiles':
      if (v.type === 'REG_MULTI_SZ') return { value: v.data.filter((s) => s.trim() !== '') };
      if (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ')
        return {
          value: v.data
            .split(/[;\n]/)
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        };
      return { error: `${v.type} where REG_MULTI_SZ is expected` };
    default:
      if (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') return { value: v.data.trim() };
      return { error: `${v.type} where REG_SZ is expected` };
  }
}

const PATH_KINDS = new Set(['path', 'pathList', 'certificateFile', 'certificateFiles']);

interface Candidate {
  readonly value: unknown;
  readonly source: SettingSource;
}

function describeIssue(error: unknown): string {
  const issues = (error as { issues?: Array<{ message: string; path: PropertyKey[] }> }).issues;
  if (!issues) return 'invalid';
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `[${i.path.map(String).join('.')}] ` : ''}${i.message}`)
    .join('; ')
    .slice(0, 300);
}

/** Reads the certificates of a file (core/pki/pkcs12.ts `loadCertificates`); throws where there are none. */
type CertificateReader = (bytes: Buffer) => unknown;

const isCertificateSetting = (d: SettingDeclaration | undefined): boolean => d !== undefined && (d.kind === 'certificateFile' || d.kind === 'certificateFiles');

/** Validates one value of one layer: converted, expanded, schema-checked, files read. */
function accept(
  d: SettingDeclaration,
  raw: unknown,
  layer: ConfigLayer,
  where: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  problems: ConfigProblem[],
  loadCertificates: CertificateReader | undefined,
): { value: unknown } | undefined {
  let value = raw;
  if (PATH_KINDS.has(d.kind)) {
    if (typeof value === 'string') value = expandEnvironment(value, env);
    else if (Array.isArray(value)) value = value.map((v: unknown) => (typeof v === 'string' ? expandEnvironment(v, env) : v));
  }
  const parsed = valueSchema(d).safeParse(value);
  const title = d.title;
  if (!parsed.success) {
    problems.push(
      problem(layer, { de: `Der Wert für „${title.de}“ ist ungültig.`, en: `The value for “${title.en}” is invalid.` }, `${where}: ${describeIssue(parsed.error)}`, d.key),
    );
    return undefined;
  }
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  if (PATH_KINDS.has(d.kind)) {
    const paths = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]) as string[];
    const relative = paths.find((p) => !pathApi.isAbsolute(p));
    if (relative !== undefined) {
      problems.push(
        problem(
          layer,
          { de: `„${title.de}“ muss ein vollständiger Pfad sein.`, en: `“${title.en}” must be a full path.` },
          `${where}: not absolute: ${relative.slice(0, 200)}`,
          d.key,
        ),
      );
      return undefined;
    }
    if (isCertificateSetting(d)) {
      // loadConfig loads the reader wherever a layer names such a setting
      if (loadCertificates === undefined) throw new Error(`certificate reader not loaded for ${d.key}`);
      for (const file of paths) {
        try {
          loadCertificates(readFileSync(file));
        } catch (error) {
          const detail = error instanceof PostfachError ? `${error.kind}: ${error.detail}` : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
          problems.push(
            problem(
              layer,
              { de: `Die Zertifikatsdatei für „${title.de}“ fehlt oder ist beschädigt.`, en: `The certificate file for “${title.en}” is missing or damaged.` },
              `${where}: ${file.slice(0, 200)}: ${detail.slice(0, 200)}`,
              d.key,
            ),
          );
          return undefined;
        }
      }
    }
  }
  return { value: parsed.data };
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const policy = options.policy ?? platformPolicySource(platform);
  const machineFile = options.machineFile === undefined ? machineFilePath(env, platform) : options.machineFile;
  const problems: ConfigProblem[] = [];

  // layer 1: policy
  const policyValues = new Map<string, Candidate>();
  const read = await policy.read();
  if (read.error !== undefined) {
    problems.push(problem('policy', { de: 'Die Gruppenrichtlinie kann nicht gelesen werden.', en: 'The group policy cannot be read.' }, `${policy.where}: ${read.error}`));
  }
  const byPolicyName = new Map(SETTINGS.map((d) => [d.policyName.toLowerCase(), d as SettingDeclaration]));
  const byKey = new Map<string, SettingDeclaration>(SETTINGS.map((d) => [d.key, d as SettingDeclaration]));
  const machine = machineFile === null ? undefined : readMachineFile(machineFile);
  const named = [
    ...[...read.values.keys()].map((name) => byPolicyName.get(name.toLowerCase())),
    ...[machine?.content?.settings, machine?.content?.defaults, options.user].flatMap((layer) => Object.keys(layer ?? {}).map((key) => byKey.get(key))),
  ];
  const loadCertificates = named.some(isCertificateSetting) ? (await import('../pki/pkcs12.js')).loadCertificates : undefined;
  for (const [name, value] of read.values) {
    const d = byPolicyName.get(name.toLowerCase());
    if (d === undefined) {
      problems.push(
        problem(
          'policy',
          { de: `Unbekannter Richtlinienwert „${name.slice(0, 60)}“.`, en: `Unknown policy value “${name.slice(0, 60)}”.` },
          `${policy.where}: value ${name.slice(0, 60)} is not a setting of this version`,
        ),
      );
      continue;
    }
    const converted = fromRegistry(d, value);
    if ('error' in converted) {
      problems.push(
        problem(
          'policy',
          { de: `Der Wert für „${d.title.de}“ hat den falschen Typ.`, en: `The value for “${d.title.en}” has the wrong type.` },
          `${policy.where} ${d.policyName}: ${converted.error}`,
          d.key,
        ),
      );
      continue;
    }
    const ok = accept(d, converted.value, 'policy', `${policy.where} ${d.policyName}`, env, platform, problems, loadCertificates);
    if (ok) policyValues.set(d.key, { value: ok.value, source: 'policy' });
  }

  // layer 2: machine file (settings lock; defaults sit below the user)
  const machineValues = new Map<string, Candidate>();
  const machineDefaults = new Map<string, Candidate>();
  if (machine !== undefined) {
    const { content, problems: fileProblems } = machine;
    problems.push(...fileProblems);
    if (content) {
      const take = (section: Record<string, unknown>, target: Map<string, Candidate>, source: SettingSource, sectionName: string) => {
        for (const [key, raw] of Object.entries(section)) {
          const d = byKey.get(key);
          if (d === undefined) {
            problems.push(
              problem(
                'machine-file',
                { de: `Unbekannte Einstellung „${key.slice(0, 60)}“.`, en: `Unknown setting “${key.slice(0, 60)}”.` },
                `${machineFile}: ${sectionName}.${key.slice(0, 60)} is not a setting of this version`,
              ),
            );
            continue;
          }
          if (source === 'machine-default' && !d.userEditable) {
            problems.push(
              problem(
                'machine-file',
                { de: `„${d.title.de}“ kann nur fest vorgegeben werden (unter „settings“).`, en: `“${d.title.en}” can only be fixed (under “settings”).` },
                `${machineFile}: defaults.${key} is not user-editable`,
                d.key,
              ),
            );
            continue;
          }
          const ok = accept(d, raw, 'machine-file', `${machineFile} ${sectionName}.${key}`, env, platform, problems, loadCertificates);
          if (ok) target.set(key, { value: ok.value, source });
        }
      };
      take(content.settings, machineValues, 'machine', 'settings');
      take(content.defaults, machineDefaults, 'machine-default', 'defaults');
    }
  }

  // layer 3: the user's own settings
  const userValues = new Map<string, Candidate>();
  for (const [key, raw] of Object.entries(options.user ?? {})) {
    const d = SETTINGS.find((s) => s.key === key) as SettingDeclaration | undefined;
    if (d === undefined || !d.userEditable || raw === undefined) continue;
    const ok = accept(d, raw, 'user', `workspace.json settings.${key}`, env, platform, problems, loadCertificates);
    if (ok) userValues.set(key, { value: ok.value, source: 'user' });
  }

  const values: Record<string, unknown> = {};
  const state: Record<string, SettingState> = {};
  for (const d of SETTINGS as readonly SettingDeclaration[]) {
    const chosen: Candidate | undefined =
      policyValues.get(d.key) ??
      machineValues.get(d.key) ??
      userValues.get(d.key) ??
      machineDefaults.get(d.key) ??
      (d.default !== undefined ? { value: d.default, source: 'default' } : undefined);
    if (chosen !== undefined) values[d.key] = Array.isArray(chosen.value) ? [...(chosen.value as unknown[])] : chosen.value;
    const source = chosen?.source ?? 'none';
    state[d.key] = { source, locked: source === 'policy' || source === 'machine' };
  }
  if (values.allowedExportFolders === undefined) values.allowedExportFolders = [];
  // a proxy mode without its address is reported too (the network then uses the system proxy settings)
  const mode = values.proxyMode;
  if ((mode === 'fixed' || mode === 'pac') && values[mode === 'fixed' ? 'proxyUrl' : 'proxyPacUrl'] === undefined) {
    const missing = mode === 'fixed' ? { key: 'proxyUrl', de: 'Fester Proxy', en: 'Fixed proxy' } : { key: 'proxyPacUrl', de: 'Adresse der PAC-Datei', en: 'PAC file address' };
    problems.push(
      problem(
        state.proxyMode?.source === 'policy' ? 'policy' : 'machine-file',
        {
          de: `Zum Proxy-Modus „${mode}“ fehlt „${missing.de}“; es gelten die Proxy-Einstellungen des Systems.`,
          en: `The proxy mode “${mode}” lacks “${missing.en}”; the system proxy settings apply.`,
        },
        `proxyMode ${mode} (${state.proxyMode?.source ?? 'none'}) without ${missing.key}`,
        'proxyMode',
      ),
    );
  }
  return {
    values: values as unknown as ConfigValues,
    state: state as Record<SettingKey, SettingState>,
    problems,
    origins: { policy: policy.where, machineFile: machineFile ?? 'keine' },
  };
}

/** A configuration of defaults only (tests, and where loading is skipped). */
export async function defaultConfig(): Promise<ResolvedConfig> {
  return loadConfig({ policy: { where: 'keine Richtlinie', read: async () => ({ values: new Map() }) }, machineFile: null });
}

export function lockReason(config: ResolvedConfig, key: SettingKey): UserText | undefined {
  const s = config.state[key];
  if (!s.locked) return undefined;
  return s.source === 'policy'
    ? { de: 'von Ihrer IT festgelegt (Gruppenrichtlinie)', en: 'set by your IT (group policy)' }
    : { de: 'von Ihrer IT festgelegt (Konfigurationsdatei des PCs)', en: 'set by your IT (machine configuration file)' };
}

/** Refuses a change of a locked setting with a clear error. */
export function assertUnlocked(config: ResolvedConfig, key: SettingKey): void {
  const reason = lockReason(config, key);
  if (reason === undefined) return;
  const d = SETTINGS.find((s) => s.key === key) as SettingDeclaration;
  throw new PostfachError(
    'setting-locked',
    { de: `„${d.title.de}“ ist ${reason.de} und kann hier nicht geändert werden.`, en: `“${d.title.en}” is ${reason.en} and cannot be changed here.` },
    `${key} locked by ${config.state[key].source === 'policy' ? config.origins.policy : config.origins.machineFile}`,
  );
}
