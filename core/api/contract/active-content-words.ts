/**
 * What each active-content code is called in German and English, without zod: the renderer imports this file (the
 * contract's schemas are in active-content.ts, which re-exports it). No Node and no DOM here.
 */
import type { ActiveContentCode } from '../../xsozial/active-content-codes.js';

export const ACTIVE_CONTENT_WORDS: Readonly<Record<ActiveContentCode, { readonly de: string; readonly en: string }>> = {
  'pdf-javascript': { de: 'PDF mit JavaScript', en: 'PDF with JavaScript' },
  'pdf-launch': { de: 'PDF, das Programme oder andere Dateien starten kann (Launch-Aktion)', en: 'PDF that can start programs or other files (launch action)' },
  'pdf-embedded-file': { de: 'PDF mit eingebetteten Dateien oder Medien', en: 'PDF with embedded files or media' },
  'pdf-form-action': { de: 'PDF-Formular, das Daten senden oder laden kann', en: 'PDF form that can send or load data' },
  'office-macros': { de: 'Office-Dokument mit Makros', en: 'Office document with macros' },
  'office-activex': { de: 'Office-Dokument mit ActiveX-Steuerelementen', en: 'Office document with ActiveX controls' },
  'rtf-object': { de: 'RTF-Dokument mit eingebetteten Objekten', en: 'RTF document with embedded objects' },
  markup: { de: 'Webseite oder SVG (HTML, kann Skripte ausführen)', en: 'web page or SVG (HTML, can run scripts)' },
  script: { de: 'Skript (Programmtext)', en: 'script (program text)' },
  executable: { de: 'ausführbares Programm', en: 'executable program' },
  shortcut: { de: 'Verknüpfung, die ein Programm oder eine Adresse öffnet', en: 'shortcut that opens a program or an address' },
  archive: { de: 'Archiv (sein Inhalt wurde nicht geprüft)', en: 'archive (its content was not checked)' },
  'unknown-compound': { de: 'Containerdatei unbekannter Art (z. B. ein Installationspaket)', en: 'container file of an unknown kind (e.g. an installer package)' },
  'not-checked': { de: 'nicht vollständig prüfbar (zu groß, verschlüsselt oder beschädigt)', en: 'cannot be checked completely (too large, encrypted or damaged)' },
};
