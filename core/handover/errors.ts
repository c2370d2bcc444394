/**
 * Errors of the hand-over folder. Kinds: `handover-folder` (the folder cannot be written: the delivery stays pending
 * and is handed over at the next run), `handover-inconsistent` (a delivery's folder is there but does not match its
 * manifest: left alone for IT), `handover-not-configured` (no hand-over folder set). Details name the step and the
 * system's error code, never a person's name.
 */
import { PostfachError } from '../errors.js';

export function folderNotWritable(step: string, cause?: unknown): PostfachError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause instanceof PostfachError ? cause.kind : 'error');
  return new PostfachError(
    'handover-folder',
    {
      de: 'Der Übergabeordner für das Fachverfahren kann nicht beschrieben werden. Die Nachrichten bleiben im Postfach gespeichert und werden übergeben, sobald der Ordner wieder beschreibbar ist. Bitte Pfad und Berechtigungen prüfen.',
      en: 'The hand-over folder for the case system cannot be written. The messages stay stored in the mailbox and are handed over as soon as the folder can be written again. Please check the path and permissions.',
    },
    `${step}: ${code}`,
    cause === undefined ? {} : { cause },
  );
}

export function inconsistentFolder(folder: string, detail: string): PostfachError {
  return new PostfachError(
    'handover-inconsistent',
    {
      de: 'Im Übergabeordner liegt zu einer Nachricht ein Ordner, der nicht zu seiner Inhaltsliste (manifest.json) passt. Er wird nicht überschrieben; bitte die IT prüfen lassen.',
      en: 'The hand-over folder holds a folder for a message that does not match its list of contents (manifest.json). It is not overwritten; please have IT check it.',
    },
    `${folder}: ${detail}`,
  );
}

export function notConfigured(): PostfachError {
  return new PostfachError(
    'handover-not-configured',
    {
      de: 'Es ist kein Übergabeordner für das Fachverfahren eingestellt (Einstellung „Übergabeordner für das Fachverfahren“, HandoverFolder).',
      en: 'No hand-over folder for the case system is set (setting “Hand-over folder for the case system”, HandoverFolder).',
    },
    'handoverFolder not set',
  );
}
