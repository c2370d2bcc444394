/**
 * `postfach config [--json]`: the effective settings of this PC — value, where it comes from (policy, machine file,
 * user, default) and whether it is locked — and every problem found in a layer. For local IT to check a GPO or a
 * distributed config.json. Also `postfach config schema` prints where the templates are.
 */
import type { Command } from 'commander';
import { loadConfig, lockReason, type ResolvedConfig } from '../../core/config/load-config.js';
import { SETTINGS } from '../../core/config/settings.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, runAction } from '../output.js';

const SOURCE_WORDS: Record<string, string> = {
  policy: 'Gruppenrichtlinie',
  machine: 'Konfigurationsdatei (fest)',
  'machine-default': 'Konfigurationsdatei (Voreinstellung)',
  user: 'Benutzer',
  default: 'Standard',
  none: '—',
};

/** Warnings about broken settings on stderr, for every command that works with the settings. */
export function printConfigProblems(config: ResolvedConfig): void {
  for (const p of config.problems) process.stderr.write(`Warnung: ${p.text.de}\n  Technische Angabe: ${p.detail}\n`);
}

function shown(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  if (Array.isArray(value)) return value.length === 0 ? '(leer)' : value.join('; ');
  if (typeof value === 'string' && /^https?:\/\/[^/]*:[^/]*@/.test(value)) return value.replace(/\/\/([^:/]*):[^@/]*@/, '//$1:***@');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  // no setting holds anything else today; an object would otherwise print as [object Object]
  return JSON.stringify(value);
}

export function register(program: Command): void {
  program
    .command('config')
    .description('die wirksamen Einstellungen dieses PCs (Gruppenrichtlinie, Konfigurationsdatei, Benutzer, Standard) und Fehler darin')
    .option('--json', 'als JSON')
    .action(async (opts: { json?: boolean }) => {
      const json = opts.json === true;
      await runAction(json, async () => {
        const config = await loadConfig();
        const rows = SETTINGS.map((d) => ({ key: d.key, title: d.title.de, value: (config.values as unknown as Record<string, unknown>)[d.key], ...config.state[d.key] }));
        if (json) {
          printJson({
            ok: config.problems.length === 0,
            origins: config.origins,
            settings: rows.map((r) => ({ key: r.key, value: r.key === 'proxyUrl' ? shown(r.value) : (r.value ?? null), source: r.source, locked: r.locked })),
            problems: config.problems.map((p) => ({ layer: p.layer, setting: p.setting ?? null, message: p.text.de, messageEn: p.text.en, detail: p.detail })),
          });
        } else {
          process.stdout.write(`Gruppenrichtlinie: ${config.origins.policy}\nKonfigurationsdatei: ${config.origins.machineFile}\n\n`);
          for (const r of rows) {
            process.stdout.write(
              `${r.title.padEnd(52)} ${shown(r.value).padEnd(40)} ${SOURCE_WORDS[r.source]}${r.locked ? ` · gesperrt (${lockReason(config, r.key)?.de})` : ''}\n`,
            );
          }
          if (config.problems.length > 0) {
            process.stdout.write('\n');
            printConfigProblems(config);
          }
        }
        // problems are reported, not fatal: the program runs with the valid rest
        return config.problems.length > 0 ? ExitCode.partial : ExitCode.ok;
      });
    });
}
