/**
 * The technical log for local IT: one line per event (store opened, fetch run and its outcome, each delivery stored
 * by its ids, settings problems, backup, certificate rotation), in `<data folder>/logs/postfach-YYYY-MM.log`
 * (JSON lines, UTF-8), one file per month, files older than 12 months removed, at most 10 MB per file.
 *
 * It never holds personal data: events carry kinds, counts, durations, store numbers and OSCI message ids — never
 * names, subjects, file names or contents. Values are reduced to a safe alphabet and a length, so that a careless
 * caller cannot write a name into it. The audit log (who did what with which message) is in the encrypted store.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogValue = string | number | boolean | null;
export type LogLevel = 'info' | 'warn' | 'error';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const KEEP_MONTHS = 12;

function safe(value: LogValue): LogValue {
  if (typeof value !== 'string') return value;
  return value.replace(/[^A-Za-z0-9 ._:/=@<>+,-]/g, '?').slice(0, 300);
}

export interface LogLine {
  readonly at: string;
  readonly level: LogLevel;
  readonly event: string;
  readonly [field: string]: LogValue;
}

export class TechLog {
  readonly dir: string;
  private pruned = false;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'logs');
  }

  fileFor(date: Date): string {
    return path.join(this.dir, `postfach-${date.toISOString().slice(0, 7)}.log`);
  }

  /** Writes one line; a log that cannot be written never stops the program. */
  write(level: LogLevel, event: string, fields: Record<string, LogValue> = {}, now = new Date()): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (!this.pruned) this.prune(now);
      const file = this.fileFor(now);
      try {
        if (statSync(file).size > MAX_FILE_BYTES) return;
      } catch {
        // new file
      }
      const line: Record<string, LogValue> = { at: now.toISOString(), level, event: safe(event) };
      for (const [key, value] of Object.entries(fields)) if (/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(key) && value !== undefined) line[key] = safe(value);
      appendFileSync(file, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
    } catch {
      // the technical log is a help for IT, not a reason to fail
    }
  }

  private prune(now: Date): void {
    this.pruned = true;
    const oldest = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - KEEP_MONTHS, 1)).toISOString().slice(0, 7);
    for (const name of readdirSync(this.dir)) {
      const month = /^postfach-(\d{4}-\d{2})\.log$/.exec(name)?.[1];
      if (month !== undefined && month < oldest) rmSync(path.join(this.dir, name), { force: true });
    }
  }

  /** Lines (newest files last) that pass the filter, at most `limit` from the end. */
  read(filter: (line: LogLine) => boolean = () => true, limit = 200): LogLine[] {
    let names: string[];
    try {
      names = readdirSync(this.dir)
        .filter((n) => /^postfach-\d{4}-\d{2}\.log$/.test(n))
        .sort();
    } catch {
      return [];
    }
    const out: LogLine[] = [];
    for (const name of names) {
      for (const text of readFileSync(path.join(this.dir, name), 'utf8').split('\n')) {
        if (text.trim() === '') continue;
        try {
          const line = JSON.parse(text) as LogLine;
          if (filter(line)) out.push(line);
        } catch {
          // a line cut by a crash
        }
      }
    }
    return out.slice(-limit);
  }
}

/** One line as text for people (the acceptance record, `postfach` output). */
export function logLineText(line: LogLine): string {
  const { at, level, event, ...rest } = line;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${at} ${level.toUpperCase()} ${event}${fields ? ` ${fields}` : ''}`;
}
