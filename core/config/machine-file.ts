/**
 * The machine file layer: `%ProgramData%\OSCI-Postfach\config.json` on Windows (for software distribution without
 * group policy), `/etc/osci-postfach/config.json` on Linux and `/Library/Application Support/OSCI-Postfach/config.json`
 * on macOS for development; `POSTFACH_MACHINE_CONFIG` names another file (tests, a build machine).
 *
 *   { "settings": { … fixed by IT, locked in the program … },
 *     "defaults": { … presets the caseworker may change (only settings the program lets users change) … } }
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { problem, type ConfigProblem } from './problems.js';

export const MACHINE_FILE_ENV = 'POSTFACH_MACHINE_CONFIG';

export function machineFilePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[MACHINE_FILE_ENV];
  if (override !== undefined && override !== '') return override;
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'OSCI-Postfach', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/OSCI-Postfach/config.json';
  return '/etc/osci-postfach/config.json';
}

export interface MachineFileContent {
  readonly settings: Record<string, unknown>;
  readonly defaults: Record<string, unknown>;
}

/** Where in the text a JSON syntax error is (line and column), for the detail. */
function position(text: string, error: unknown): string {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!m) return '';
  const offset = Number(m[1]);
  const before = text.slice(0, offset).split('\n');
  return ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the machine file: absent → nothing (no problem); unreadable or broken → a problem, the layer is empty. */
export function readMachineFile(file: string): { content: MachineFileContent | undefined; problems: ConfigProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { content: undefined, problems: [] };
    return {
      content: undefined,
      problems: [problem('machine-file', { de: 'Die Datei kann nicht gelesen werden.', en: 'The file cannot be read.' }, `${file}: ${code ?? 'error'}`)],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      content: undefined,
      problems: [
        problem(
          'machine-file',
          { de: 'Die Datei ist kein gültiges JSON.', en: 'The file is not valid JSON.' },
          `${file}: ${error instanceof Error ? error.message.slice(0, 200) : 'syntax error'}${position(text, error)}`,
        ),
      ],
    };
  }
  if (!isObject(parsed)) {
    return {
      content: undefined,
      problems: [
        problem(
          'machine-file',
          { de: 'Die Datei enthält kein JSON-Objekt.', en: 'The file holds no JSON object.' },
          `${file}: top level is ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
        ),
      ],
    };
  }
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(parsed)) {
    if (key !== 'settings' && key !== 'defaults' && key !== '$schema' && key !== '$comment') {
      problems.push(
        problem(
          'machine-file',
          { de: `Unbekannter Eintrag „${key.slice(0, 60)}“.`, en: `Unknown entry “${key.slice(0, 60)}”.` },
          `${file}: top-level key ${key.slice(0, 60)} (expected settings, defaults)`,
        ),
      );
    }
  }
  const section = (name: 'settings' | 'defaults'): Record<string, unknown> => {
    const value = parsed[name];
    if (value === undefined) return {};
    if (isObject(value)) return value;
    problems.push(
      problem(
        'machine-file',
        { de: `„${name}“ ist kein JSON-Objekt.`, en: `“${name}” is not a JSON object.` },
        `${file}: ${name} is ${Array.isArray(value) ? 'an array' : typeof value}`,
      ),
    );
    return {};
  };
  return { content: { settings: section('settings'), defaults: section('defaults') }, problems };
}
