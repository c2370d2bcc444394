/**
 * The acceptance record ("Abnahmeprotokoll") for a Testantrag, as the rollout team files it after the "Test und
 * Abnahme" step: the Eingang and the other process-card times, the message id, what was decrypted, every signature
 * result in words, the intermediary's inspection report, a picture of the application as the program showed it (a
 * screenshot of the rendered application where a browser or the desktop window took one; otherwise the text of the
 * same summary cards, said so), the technical log lines of this delivery, and fields for the result and signature.
 */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { PostfachError } from '../../errors.js';
import type { DeliveryView } from '../../xsozial/view.js';
import { pdfFailed, targetNotWritable } from '../errors.js';
import { eingangInWords, signatureInWords, timestampInWords, UNSIGNED_BANNER, validityInWords, type ReceiptFacts } from '../receipt.js';
import { writeAtomically } from '../xml-export.js';
import { PAGE, TaggedWriter } from './tagged-writer.js';
import { SHORTENED, VALUE_BOUNDS } from './text-layout.js';

export interface AcceptanceFacts {
  readonly receipt: ReceiptFacts;
  readonly fetchedAt: string;
  readonly isTest: boolean;
  /** Transport layer and content layer in words. */
  readonly decryption: { readonly transport: string; readonly content: string };
  /** The readable view (for the text fallback); null when not readable. */
  readonly view: DeliveryView | null;
  /** A PNG of the rendered application, and where it came from. */
  readonly screenshot?: { readonly png: Buffer; readonly source: string };
  /** Why there is no screenshot (e.g. made on the command line, without a browser). */
  readonly noScreenshotReason?: string;
  readonly logLines: readonly string[];
  readonly programVersion: string;
}

/** Height of a handwritten line in a field of the result. */
const WRITING_LINE = 22;
/** The result section from its heading: the tick line and the fields (4 + 1 + 1 + 2 lines, their labels and gaps). */
const RESULT_HEIGHT = 30 + 8 * WRITING_LINE + 4 * 28;

/**
 * A certificate's distinguished name as printed: a space after each comma that separates its parts, so that a long
 * name wraps between the parts (at "OU=…", "O=…") and never inside a word.
 */
export function printedName(fullDn: string): string {
  // bounded first: a name is printed as a value anyway, and the look-ahead below must not scan a huge text per comma
  const dn = fullDn.length > VALUE_BOUNDS.maxChars ? fullDn.slice(0, VALUE_BOUNDS.maxChars) : fullDn;
  return dn.replace(/,(?=\s*[A-Za-z][A-Za-z0-9.]*=)/g, ', ').replace(/, {2,}/g, ', ');
}

/** A labelled, framed field to write in by hand, `lines` high (ruled unless `ruled` is false: a signature). */
function writingField(w: TaggedWriter, label: string, lines: number, ruled = true): void {
  const height = lines * WRITING_LINE + 6;
  w.ensureSpace(height + 24);
  w.paragraph(label, { size: 9, colour: '#4a4a4a' });
  const y = w.doc.y - 2;
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  w.artifact(() => {
    w.doc.rect(left, y, width, height).lineWidth(0.8).strokeColor('#6b6b6b').stroke();
    for (let i = 1; ruled && i < lines; i++) {
      const ly = y + 3 + i * WRITING_LINE;
      w.doc
        .moveTo(left + 8, ly)
        .lineTo(left + width - 8, ly)
        .lineWidth(0.3)
        .strokeColor('#b0b0b0')
        .stroke();
    }
  });
  w.doc.fillColor('black');
  w.doc.y = y + height + 10;
  w.doc.x = PAGE.margin;
}

/**
 * Writes the record to `outputPath`. An existing file is replaced only with `replace` (the user chose it, e.g. in
 * the save dialog); otherwise it is refused and kept, like a backup file.
 */
export async function exportAcceptanceRecord(
  facts: AcceptanceFacts,
  outputPath: string,
  createdAt = new Date(),
  options: { replace?: boolean } = {},
): Promise<{ path: string; size: number }> {
  const r = facts.receipt;
  const w = new TaggedWriter({
    title: `Abnahmeprotokoll ${r.messageId}`,
    subject: 'Abnahmeprotokoll eines Testantrags (OSCI-Postfach)',
    pdfa: false,
    createdAt,
    shortened: SHORTENED.standalone,
  });
  let bytes: Buffer;
  try {
    w.doc.outline.addItem('Abnahmeprotokoll');
    w.heading(1, 'Abnahmeprotokoll – Testantrag');
    if (!facts.isTest) w.banner('Achtung: Diese Nachricht ist kein Testantrag.');
    const zone = r.timeZone;
    const eingang = eingangInWords(r);
    w.paragraph(`Erstellt am ${timestampInWords(createdAt.toISOString(), zone)} mit OSCI-Postfach ${facts.programVersion}.`, { size: 9 });
    w.heading(2, 'Nachricht');
    w.table([
      { label: 'Nachrichtenkennung', value: r.messageId },
      { label: 'Betreff', value: r.subject ?? 'keine Angabe' },
      { label: 'Eingang beim Intermediär (Creation)', value: eingang.value, ...(eingang.note ? { note: eingang.note } : {}) },
      { label: 'Weitergeleitet (Forwarding)', value: timestampInWords(r.forwarding, zone) },
      { label: 'Empfang bestätigt (Reception)', value: timestampInWords(r.reception, zone) },
      { label: 'Abgerufen', value: timestampInWords(facts.fetchedAt, zone) },
      { label: 'Absender (Zertifikat)', value: printedName(r.sender) },
      { label: 'Empfänger (Postfach)', value: printedName(r.recipient) },
      { label: 'Testantrag (XSozial test)', value: facts.isTest ? 'ja' : 'nein' },
      { label: 'SHA-256 des Inhalts', value: r.contentSha256 },
    ]);
    w.heading(2, 'Entschlüsselung');
    w.table([
      { label: 'Transportverschlüsselung', value: facts.decryption.transport },
      { label: 'Inhaltsdaten', value: facts.decryption.content },
    ]);
    w.heading(2, 'Signaturprüfung');
    if (r.unsigned === true) w.banner(UNSIGNED_BANNER);
    w.table(
      r.signatures.map((s) => ({
        label: s.role,
        value: `${[signatureInWords(s), ...validityInWords(s, zone)].join('\n')}${s.signer ? `\nUnterzeichner: ${printedName(s.signer)}` : ''}${s.algorithm ? `\nVerfahren: ${s.algorithm}` : ''}`,
      })),
    );
    if (r.inspections.length > 0) {
      w.heading(2, 'Prüfbericht des Intermediärs');
      w.table(r.inspections.map((i) => ({ label: printedName(i.subject), value: `${i.result}${i.time ? ` (${timestampInWords(i.time, zone)})` : ''}` })));
    }
    w.heading(2, 'Darstellung des Antrags');
    if (facts.screenshot) {
      w.paragraph(`Bildschirmfoto der Anzeige im Programm (${facts.screenshot.source}).`, { size: 9 });
      w.image(facts.screenshot.png, 'Bildschirmfoto der Antragsanzeige in OSCI-Postfach');
    } else {
      w.paragraph(`Kein Bildschirmfoto: ${facts.noScreenshotReason ?? 'nicht verfügbar'}. Stattdessen die Übersicht, wie das Programm sie anzeigt, als Text:`, { size: 9 });
      if (facts.view === null) w.paragraph('Die Nachricht ist nicht lesbar; es gibt keine Anzeige.');
      // what the Übersicht shows at first: each block's summary (its title holds the name), not "Alle Angaben"
      for (const card of facts.view?.cards ?? []) {
        w.heading(3, card.title.de);
        const shown = card.sections.filter((section) => section.role !== 'all');
        w.table(shown.flatMap((section) => section.fields.filter((f) => f.inTitle !== true).map((f) => ({ label: `${section.title.de}: ${f.label.de}`, value: f.value.display }))));
      }
    }
    w.heading(2, 'Technische Protokollzeilen (ohne personenbezogene Daten)');
    if (facts.logLines.length === 0) w.paragraph('Keine Protokollzeilen zu dieser Nachricht gefunden.', { size: 9 });
    for (const line of facts.logLines) w.paragraph(line, { size: 7.5 });
    // filled in by hand: the heading, the tick boxes and every field with its box stay on one page
    w.ensureSpace(RESULT_HEIGHT + 45);
    w.heading(2, 'Ergebnis der Abnahme');
    w.paragraph('Abnahme erfolgreich:   ☐ ja      ☐ nein', { size: 11 });
    writingField(w, 'Bemerkungen', 4);
    writingField(w, 'Ort, Datum', 1);
    writingField(w, 'Name (in Druckbuchstaben)', 1);
    writingField(w, 'Unterschrift', 2, false);
    w.pageNumbers(`Abnahmeprotokoll · Nachricht ${r.messageId}`, new Map());
    bytes = await w.finish();
  } catch (error) {
    throw pdfFailed(`acceptance record: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  // without `replace` the name is claimed first ('wx': refused if it exists), then filled atomically
  let claimed = false;
  if (options.replace !== true) {
    try {
      await (await open(outputPath, 'wx', 0o600)).close();
      claimed = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new PostfachError(
          'export-target-exists',
          {
            de: 'Diese Datei gibt es schon. Sie wird nicht überschrieben; bitte einen anderen Namen wählen.',
            en: 'This file already exists. It is not overwritten; please choose another name.',
          },
          `acceptance record ${path.basename(outputPath)}: EEXIST`,
          { cause: error },
        );
      }
      throw targetNotWritable(`${(error as NodeJS.ErrnoException).code ?? 'error'} creating the acceptance record`, error);
    }
  }
  try {
    await writeAtomically(outputPath, async (target) => {
      await new Promise<void>((resolve, reject) => {
        target.on('error', reject);
        target.end(bytes, () => resolve());
      });
    });
  } catch (error) {
    if (claimed) await rm(outputPath, { force: true }).catch(() => undefined);
    throw error;
  }
  return { path: outputPath, size: bytes.length };
}
