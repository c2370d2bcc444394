/**
 * Options of the native open and save dialogs, German, with file filters for each kind of file. Pure, so the texts
 * and filters are tested; shell-handlers.ts shows them.
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';

type OpenKind = 'p12' | 'certificate' | 'backup' | 'codelist';
type SaveKind = 'p12' | 'certificate' | 'pdf' | 'xml' | 'csv' | 'folder' | 'backup';

const filters: Readonly<Record<Exclude<SaveKind, 'folder'>, Electron.FileFilter[]>> = {
  p12: [{ name: 'Schlüsseldatei (PKCS#12)', extensions: ['p12', 'pfx'] }],
  certificate: [{ name: 'Zertifikat', extensions: ['cer', 'crt', 'pem', 'der', 'p7b', 'p7c'] }],
  pdf: [{ name: 'PDF-Dokument', extensions: ['pdf'] }],
  xml: [{ name: 'XML-Datei', extensions: ['xml'] }],
  csv: [{ name: 'CSV-Tabelle', extensions: ['csv'] }],
  backup: [{ name: 'Sicherung (OSCI-Postfach)', extensions: ['pfbak'] }],
};

/** Open-only kinds. */
const openFilters: Readonly<Record<'codelist', Electron.FileFilter[]>> = {
  codelist: [{ name: 'Codeliste (Genericode, XML)', extensions: ['xml'] }],
};

const OPEN_TITLES: Readonly<Record<OpenKind, string>> = {
  p12: 'Schlüsseldatei des Postfachs öffnen',
  certificate: 'Zertifikat öffnen',
  backup: 'Sicherung öffnen',
  codelist: 'Codeliste (Genericode) öffnen',
};

export function openFileDialogOptions(kind: OpenKind): OpenDialogOptions {
  return {
    title: OPEN_TITLES[kind],
    buttonLabel: 'Öffnen',
    filters: [...(kind === 'codelist' ? openFilters[kind] : filters[kind]), { name: 'Alle Dateien', extensions: ['*'] }],
    properties: ['openFile', 'dontAddToRecent'],
  };
}

/** A file name the UI suggests, reduced to a plain name (no folders, no characters Windows forbids). */
export function safeFileName(suggested: string): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[<>:"|?*\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned === '' ? 'Export' : cleaned.slice(0, 200);
}

export function saveFileDialogOptions(kind: Exclude<SaveKind, 'folder'>, suggestedName: string, folder: string): SaveDialogOptions {
  const name = safeFileName(suggestedName);
  return {
    title: 'Speichern unter',
    buttonLabel: 'Speichern',
    defaultPath: `${folder.replace(/[\\/]+$/, '')}/${name}`,
    filters: filters[kind],
    properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
  };
}

export function chooseFolderDialogOptions(folder: string): OpenDialogOptions {
  return {
    title: 'Ordner für die Anhänge wählen',
    buttonLabel: 'Ordner wählen',
    defaultPath: folder,
    properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
  };
}
