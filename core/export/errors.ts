/**
 * Errors of the exports. Kinds: `export-target` (the target file or folder cannot be written),
 * `export-pdf` (the PDF could not be produced), `export-source` (the content changed or is missing).
 */
import { PostfachError } from '../errors.js';

export function targetNotWritable(detail: string, cause?: unknown): PostfachError {
  return new PostfachError(
    'export-target',
    {
      de: 'Die Exportdatei oder der Exportordner kann nicht geschrieben werden. Bitte Pfad und Berechtigungen prüfen.',
      en: 'The export file or folder cannot be written. Please check the path and permissions.',
    },
    detail,
    cause === undefined ? {} : { cause },
  );
}

/** Every numbered name of a file is taken in the target folder (10,000 tried): the folder, not the program, is full. */
export function noFreeName(detail: string): PostfachError {
  return new PostfachError(
    'export-target',
    {
      de: 'Im Zielordner gibt es keinen freien Dateinamen mehr für diese Anlage (zu viele gleichnamige Dateien). Bitte einen leeren Ordner wählen.',
      en: 'The target folder has no free file name left for this document (too many files of the same name). Please choose an empty folder.',
    },
    detail,
  );
}

export function pdfFailed(detail: string, cause?: unknown): PostfachError {
  return new PostfachError(
    'export-pdf',
    {
      de: 'Die PDF-Datei konnte nicht erstellt werden.',
      en: 'The PDF file could not be created.',
    },
    detail,
    cause === undefined ? {} : { cause },
  );
}

export function sourceChanged(detail: string): PostfachError {
  return new PostfachError(
    'export-source',
    {
      de: 'Der gespeicherte Inhalt ist nicht mehr vollständig lesbar; der Export wurde abgebrochen.',
      en: 'The stored content can no longer be read completely; the export was stopped.',
    },
    detail,
  );
}
