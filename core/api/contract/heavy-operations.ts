/**
 * The heavy operations of the service (those a restart after a crash names as suspects) and their words in German
 * and English, without zod: the renderer's status notice imports this file (the contract's schema in app.ts is built
 * from the same list and re-exports the words). No Node and no DOM here.
 */
export const HEAVY_OPERATIONS = ['export-pdf', 'export-receipt', 'export-attachments', 'acceptance-record', 'message-detail', 'fetch', 'handover'] as const;
export type HeavyOperation = (typeof HEAVY_OPERATIONS)[number];

/** What each heavy operation is called in the caseworker's words ("beim … der Nachricht"), for the service's errors and the UI. */
export const HEAVY_OPERATION_WORDS: Readonly<Record<HeavyOperation, { readonly de: string; readonly en: string }>> = {
  'export-pdf': { de: 'Export als PDF für die E-Akte', en: 'export as PDF for the e-file' },
  'export-receipt': { de: 'Export der Eingangsbestätigung', en: 'export of the confirmation of receipt' },
  'export-attachments': { de: 'Export der Anlagen', en: 'export of the attachments' },
  'acceptance-record': { de: 'Erstellen des Abnahmeprotokolls', en: 'creation of the acceptance record' },
  'message-detail': { de: 'Anzeigen des Inhalts', en: 'display of the content' },
  fetch: { de: 'Abruf', en: 'fetch' },
  handover: { de: 'Übergabe an das Fachverfahren', en: 'hand-over to the case system' },
};
