/**
 * The desktop shell's parts of this work, as pure functions (the Electron runtime is not on this machine): the tray's
 * certificate warning and the dialogs for backup files. The service entry with Electron's net is checked by the
 * bundle: electron/service-entry.ts bundles with `electron` left external.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileDialogOptions, saveFileDialogOptions } from '../../electron/dialog-options.js';
import { certificateNotice } from '../../electron/tray.js';

describe('desktop shell', () => {
  it('warns in the tray from 60 days before expiry and when expired, with the date only', () => {
    expect(certificateNotice(undefined)).toBeNull();
    expect(certificateNotice({ status: 'ok', daysLeft: 300, text: { de: 'gültig' } })).toBeNull();
    expect(certificateNotice({ status: 'expires-soon', daysLeft: 12, text: { de: 'Das Zertifikat des Postfachs läuft in 12 Tagen ab (am 10.12.2026).' } })).toEqual({
      title: 'Zertifikat des Postfachs läuft in 12 Tagen ab',
      body: 'Das Zertifikat des Postfachs läuft in 12 Tagen ab (am 10.12.2026).',
    });
    expect(certificateNotice({ status: 'expires-soon', daysLeft: 1, text: { de: 'x' } })?.title).toBe('Zertifikat des Postfachs läuft in 1 Tag ab');
    expect(certificateNotice({ status: 'expired', daysLeft: -3, text: { de: 'abgelaufen' } })?.title).toBe('Zertifikat des Postfachs abgelaufen');
  });

  it('offers backup files (.pfbak) in the open and save dialogs', () => {
    expect(openFileDialogOptions('backup')).toMatchObject({
      title: 'Sicherung öffnen',
      filters: [
        { name: 'Sicherung (OSCI-Postfach)', extensions: ['pfbak'] },
        { name: 'Alle Dateien', extensions: ['*'] },
      ],
    });
    expect(saveFileDialogOptions('backup', 'OSCI-Postfach-Sicherung_2026-11-29.pfbak', 'C:\\Users\\sb\\Documents')).toMatchObject({
      defaultPath: 'C:\\Users\\sb\\Documents/OSCI-Postfach-Sicherung_2026-11-29.pfbak',
      filters: [{ extensions: ['pfbak'] }],
    });
  });

  it('the desktop service bundles from electron/service-entry.ts with Electron’s net and the Chromium transport', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'postfach-service-bundle-'));
    try {
      execFileSync(process.execPath, ['build/build-electron.mjs', '--outdir', out], { stdio: 'pipe' });
      const bundle = readFileSync(path.join(out, 'service.cjs'), 'utf8');
      expect(bundle).toContain('require("electron")');
      expect(bundle).toContain('Chromium network');
      expect(bundle).not.toMatch(/require\("\.\.\/core/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
