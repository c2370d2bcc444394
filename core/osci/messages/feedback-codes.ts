/**
 * OSCI feedback and error codes (PROTOCOL.md §9) with texts of our own in German and English (written for the
 * caseworker and IT; not taken from the reference implementation). `level` says where a code occurs: as a
 * normal result, a warning, an order-level error in Feedback, or a message-level SOAP fault.
 */
export type FeedbackLevel = 'ok' | 'warning' | 'error' | 'fault';

export interface FeedbackCode {
  readonly code: string;
  readonly level: FeedbackLevel;
  readonly de: string;
  readonly en: string;
}

const table: readonly FeedbackCode[] = [
  { code: '0800', level: 'ok', de: 'Auftrag erledigt; der Dialog ist beendet.', en: 'Request completed; the dialog is closed.' },
  { code: '0801', level: 'ok', de: 'Auftrag erledigt; der Dialog bleibt offen.', en: 'Request completed; the dialog stays open.' },
  { code: '3500', level: 'warning', de: 'Das Verschlüsselungszertifikat des Absenders ist abgelaufen.', en: 'The client’s encryption certificate has expired.' },
  {
    code: '3501',
    level: 'warning',
    de: 'Das Verschlüsselungszertifikat des Absenders konnte nicht vollständig geprüft werden.',
    en: 'The client’s encryption certificate could not be fully checked.',
  },
  { code: '3700', level: 'warning', de: 'Das Signaturzertifikat des Absenders ist abgelaufen.', en: 'The client’s signature certificate has expired.' },
  { code: '3701', level: 'warning', de: 'Das Signaturzertifikat eines Autors ist abgelaufen.', en: 'An author’s signature certificate has expired.' },
  { code: '3702', level: 'warning', de: 'Die Ausstellersignatur am Zertifikat eines Autors ist ungültig.', en: 'The issuer signature on an author’s certificate is invalid.' },
  { code: '3703', level: 'warning', de: 'Das Signaturzertifikat eines Autors ist gesperrt.', en: 'An author’s signature certificate is revoked.' },
  { code: '3704', level: 'warning', de: 'Das Verschlüsselungszertifikat eines Autors ist abgelaufen.', en: 'An author’s encryption certificate has expired.' },
  { code: '3705', level: 'warning', de: 'Das Verschlüsselungszertifikat des Empfängers ist abgelaufen.', en: 'The recipient’s encryption certificate has expired.' },
  { code: '3706', level: 'warning', de: 'Das Verschlüsselungszertifikat eines weiteren Lesers ist abgelaufen.', en: 'An additional reader’s encryption certificate has expired.' },
  { code: '3707', level: 'warning', de: 'Die Zertifikatsprüfung ist unvollständig.', en: 'The certificate check is incomplete.' },
  { code: '3708', level: 'warning', de: 'Das Signaturzertifikat des Empfängers ist abgelaufen.', en: 'The recipient’s signature certificate has expired.' },
  { code: '3800', level: 'warning', de: 'Im Postfach liegen weitere Zustellungen bereit.', en: 'More deliveries are waiting in the mailbox.' },
  { code: '3801', level: 'warning', de: 'Es gibt weitere Laufzettel zu den Suchkriterien.', en: 'More process cards match the criteria.' },
  { code: '3802', level: 'warning', de: 'Die Antwort des Empfängers ist nicht signiert.', en: 'The recipient’s response is not signed.' },
  { code: '3803', level: 'warning', de: 'Die Antwort des Empfängers ist nicht verschlüsselt.', en: 'The recipient’s response is not encrypted.' },
  { code: '3950', level: 'warning', de: 'Zur zusammengesetzten Nachricht liegt eine eigene Rückmeldung vor.', en: 'The reassembled message has feedback of its own.' },
  { code: '3951', level: 'warning', de: 'Die Wartezeit für die Teilnachrichten ist überschritten.', en: 'The time allowed for the message chunks was exceeded.' },
  { code: '3952', level: 'warning', de: 'Die zusammengesetzte Nachricht wird noch verarbeitet.', en: 'The reassembled message is still being processed.' },
  {
    code: '9000',
    level: 'fault',
    de: 'Beim Intermediär ist ein interner Fehler aufgetreten. Bitte später erneut versuchen.',
    en: 'The intermediary had an internal error. Please try again later.',
  },
  { code: '9100', level: 'fault', de: 'Der Intermediär hat die Nachricht nicht als OSCI-Nachricht erkannt.', en: 'The intermediary did not recognise the message as OSCI.' },
  {
    code: '9200',
    level: 'fault',
    de: 'Der Intermediär kann die Nachricht nicht öffnen: Sie ist für ein anderes Zertifikat verschlüsselt.',
    en: 'The intermediary cannot open the message: it is encrypted for another certificate.',
  },
  { code: '9201', level: 'fault', de: 'Das Verschlüsselungszertifikat des Intermediärs ist gesperrt.', en: 'The intermediary’s encryption certificate is revoked.' },
  { code: '9202', level: 'fault', de: 'Der Intermediär konnte die Nachricht nicht entschlüsseln.', en: 'The intermediary could not decrypt the message.' },
  { code: '9300', level: 'fault', de: 'Der Inhalt der Nachricht ist kein gültiger Auftrag.', en: 'The message content is not a valid request.' },
  {
    code: '9400',
    level: 'fault',
    de: 'Die Dialogangaben (Kennung, Folgenummer oder Antwortwert) stimmen nicht.',
    en: 'The dialog data (conversation id, sequence number or response value) is wrong.',
  },
  { code: '9500', level: 'fault', de: 'Das eigene Verschlüsselungszertifikat fehlt im Auftrag.', en: 'The client’s encryption certificate is missing from the request.' },
  {
    code: '9501',
    level: 'fault',
    de: 'Die Ausstellersignatur am eigenen Verschlüsselungszertifikat ist ungültig.',
    en: 'The issuer signature on the client’s encryption certificate is invalid.',
  },
  { code: '9502', level: 'fault', de: 'Das eigene Verschlüsselungszertifikat ist gesperrt.', en: 'The client’s encryption certificate is revoked.' },
  {
    code: '9503',
    level: 'fault',
    de: 'Bei der Prüfung des eigenen Verschlüsselungszertifikats trat beim Intermediär ein interner Fehler auf.',
    en: 'The intermediary had an internal error checking the client’s encryption certificate.',
  },
  { code: '9600', level: 'error', de: 'Der Auftrag muss signiert sein.', en: 'The request must be signed.' },
  { code: '9601', level: 'error', de: 'Die Signatur des Auftrags ist ungültig.', en: 'The signature of the request is invalid.' },
  { code: '9602', level: 'error', de: 'Nicht alle Teile des Auftrags sind signiert.', en: 'Not all parts of the request are signed.' },
  {
    code: '9603',
    level: 'error',
    de: 'Bei der Signaturprüfung trat beim Intermediär ein interner Fehler auf.',
    en: 'The intermediary had an internal error checking the signature.',
  },
  {
    code: '9700',
    level: 'error',
    de: 'Die Ausstellersignatur am eigenen Signaturzertifikat ist ungültig.',
    en: 'The issuer signature on the client’s signature certificate is invalid.',
  },
  { code: '9701', level: 'error', de: 'Das eigene Signaturzertifikat ist gesperrt.', en: 'The client’s signature certificate is revoked.' },
  { code: '9704', level: 'error', de: 'Das Verschlüsselungszertifikat eines Autors ist ungültig.', en: 'An author’s encryption certificate is invalid.' },
  { code: '9705', level: 'error', de: 'Das Verschlüsselungszertifikat eines Autors ist gesperrt.', en: 'An author’s encryption certificate is revoked.' },
  { code: '9706', level: 'error', de: 'Das Verschlüsselungszertifikat des Empfängers ist ungültig.', en: 'The recipient’s encryption certificate is invalid.' },
  { code: '9707', level: 'error', de: 'Das Verschlüsselungszertifikat des Empfängers ist gesperrt.', en: 'The recipient’s encryption certificate is revoked.' },
  { code: '9708', level: 'error', de: 'Das Verschlüsselungszertifikat eines weiteren Lesers ist ungültig.', en: 'An additional reader’s encryption certificate is invalid.' },
  { code: '9709', level: 'error', de: 'Das Verschlüsselungszertifikat eines weiteren Lesers ist gesperrt.', en: 'An additional reader’s encryption certificate is revoked.' },
  {
    code: '9710',
    level: 'error',
    de: 'Bei der Zertifikatsprüfung trat beim Intermediär ein interner Fehler auf.',
    en: 'The intermediary had an internal error checking certificates.',
  },
  { code: '9711', level: 'error', de: 'Das Signaturzertifikat des Empfängers ist ungültig.', en: 'The recipient’s signature certificate is invalid.' },
  { code: '9712', level: 'error', de: 'Das Signaturzertifikat des Empfängers ist gesperrt.', en: 'The recipient’s signature certificate is revoked.' },
  { code: '9800', level: 'error', de: 'Eine Zustellung ohne Nachrichtenkennung wird nicht angenommen.', en: 'A delivery without message id is not accepted.' },
  { code: '9801', level: 'error', de: 'Die Nachrichtenkennung ist unbekannt oder schon verwendet.', en: 'The message id is unknown or already used.' },
  { code: '9802', level: 'error', de: 'Dieser Auftrag ist nur in einem geöffneten Dialog erlaubt.', en: 'This request is only allowed within an open dialog.' },
  { code: '9803', level: 'error', de: 'Es liegt keine Zustellung vor, die den Kriterien entspricht.', en: 'No delivery matches the criteria.' },
  { code: '9804', level: 'error', de: 'Es liegt kein Laufzettel vor, der den Kriterien entspricht.', en: 'No process card matches the criteria.' },
  { code: '9805', level: 'error', de: 'Der Empfänger hat die Annahme verweigert.', en: 'The recipient refused the delivery.' },
  { code: '9806', level: 'error', de: 'Die Antwort des Empfängers enthielt keine Zustellung.', en: 'The recipient’s response contained no delivery.' },
  { code: '9807', level: 'error', de: 'Die Signatur der Antwort des Empfängers ist ungültig.', en: 'The signature of the recipient’s response is invalid.' },
  { code: '9808', level: 'error', de: 'Beim Empfänger trat ein interner Fehler auf.', en: 'The recipient had an internal error.' },
  { code: '9809', level: 'error', de: 'Die Weiterleitung scheiterte, bevor der Empfänger erreicht wurde.', en: 'Forwarding failed before the recipient was reached.' },
  { code: '9810', level: 'error', de: 'Die Weiterleitung scheiterte, nachdem der Empfänger erreicht wurde.', en: 'Forwarding failed after the recipient was reached.' },
  {
    code: '9811',
    level: 'error',
    de: 'Beim Ausführen des Auftrags trat beim Intermediär ein interner Fehler auf.',
    en: 'The intermediary had an internal error executing the request.',
  },
  { code: '9900', level: 'error', de: 'Eine Teilnachricht wurde doppelt gesendet.', en: 'A message chunk was sent twice.' },
  { code: '9901', level: 'error', de: 'Die Nummer der Teilnachricht ist falsch.', en: 'The chunk number is wrong.' },
  { code: '9902', level: 'error', de: 'Die Teilnachricht ist größer als erlaubt.', en: 'The chunk is larger than allowed.' },
  { code: '9903', level: 'error', de: 'Die Teilnachricht ist kleiner als erlaubt.', en: 'The chunk is smaller than allowed.' },
  { code: '9904', level: 'error', de: 'Die Nachricht ist größer als erlaubt.', en: 'The message is larger than allowed.' },
  { code: '9905', level: 'error', de: 'Die Angaben zur Teilnachricht sind fehlerhaft.', en: 'The chunk information is wrong.' },
  { code: '9950', level: 'error', de: 'Die Rückmeldung zur zusammengesetzten Nachricht meldet einen Fehler.', en: 'The feedback on the reassembled message reports an error.' },
];

const byCode = new Map(table.map((c) => [c.code, c]));

export const FEEDBACK_CODES: readonly FeedbackCode[] = table;

/** The entry for a code; unknown codes get a generic text by their class (0xxx ok, 3xxx warning, 9xxx error). */
export function feedbackCode(code: string): FeedbackCode {
  const known = byCode.get(code);
  if (known) return known;
  if (code.startsWith('0')) return { code, level: 'ok', de: `Auftrag erledigt (Code ${code}).`, en: `Request completed (code ${code}).` };
  if (code.startsWith('3')) return { code, level: 'warning', de: `Hinweis des Intermediärs (Code ${code}).`, en: `Notice from the intermediary (code ${code}).` };
  return { code, level: 'error', de: `Der Intermediär meldet den Fehler ${code}.`, en: `The intermediary reports error ${code}.` };
}

/** The text for the feedback language the caller prefers. */
export function feedbackText(code: string, lang: 'de' | 'en' = 'de'): string {
  return feedbackCode(code)[lang];
}

export function isErrorCode(code: string): boolean {
  return code.startsWith('9');
}

/** Feedback entries as the intermediary writes them (German text, code). */
export function feedbackEntry(code: string, lang: 'de' | 'en' = 'de'): { code: string; lang: string; text: string } {
  return { code, lang, text: feedbackText(code, lang) };
}
