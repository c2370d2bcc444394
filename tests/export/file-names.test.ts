import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../core/export/index.js';

describe('safe attachment file names', () => {
  it('removes path traversal and separators', () => {
    expect(safeFileName('../../etc/passwd', 'dok')).toBe('_.._etc_passwd');
    expect(safeFileName('..\\..\\Windows\\win.ini', 'dok')).toBe('_.._Windows_win.ini');
    expect(safeFileName('/absolute/path.pdf', 'dok')).toBe('_absolute_path.pdf');
    expect(safeFileName('..', 'dok-1', 'application/pdf')).toBe('dok-1.pdf');
  });

  it('avoids reserved Windows names, also with an extension', () => {
    for (const name of ['CON', 'prn.pdf', 'Aux.txt', 'nul', 'COM1.jpg', 'lpt9', 'CONIN$']) {
      const safe = safeFileName(name, 'dok');
      expect(safe.startsWith('_')).toBe(true);
    }
    expect(safeFileName('console.pdf', 'dok')).toBe('console.pdf');
  });

  it('drops trailing dots and spaces, control and reserved characters, and keeps the extension', () => {
    expect(safeFileName('Kontoauszug. . ', 'dok')).toBe('Kontoauszug');
    expect(safeFileName('a<b>c:d"e|f?g*h.pdf', 'dok')).toBe('a_b_c_d_e_f_g_h.pdf');
    // control characters are shown as the UI shows them, never dropped unseen
    expect(safeFileName('h\u0007.pdf', 'dok')).toBe('h⟨U+0007⟩.pdf');
    expect(safeFileName('Scan', 'dok', 'image/jpeg')).toBe('Scan.jpg');
    expect(safeFileName('', 'dokument-3', 'image/png')).toBe('dokument-3.png');
    expect(safeFileName('Bescheinigung\u202Efdp.exe', 'dok')).toBe('Bescheinigung⟨U+202E⟩fdp.exe');
  });

  it('bounds the length and keeps Unicode names in NFC', () => {
    const long = safeFileName(`${'Ä'.repeat(200)}.pdf`, 'dok');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(150);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(safeFileName('Mu\u0308ller.pdf', 'dok')).toBe('Müller.pdf');
  });
});
