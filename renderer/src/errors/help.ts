/**
 * "Was kann ich tun?" — for every failure the engine reports (by its stable `kind`), what the caseworker can do
 * about it, in plain words. The engine's own sentence says WHAT happened; this says what to do next. Every kind of
 * the registry (core/error-kinds.ts) is listed, with its own advice or GENERIC (try again, then give IT the
 * technical detail), so a new kind does not compile until someone decided what to advise.
 */
import { canonicalKind, type ErrorKind } from '../../../core/error-kinds.js';
import type { UserText } from '../../../core/errors.js';

const ask = 'Hilft das nicht, geben Sie der IT die technische Angabe weiter.';
const askEn = 'If that does not help, give IT support the technical detail.';

/** A kind whose advice is the generic one (try again, then give IT the technical detail): chosen, not forgotten. */
const GENERIC = 'generic';

export const HELP = {
  // store
  'store-wrong-password': {
    de: 'Prüfen Sie die Feststelltaste und die Tastaturbelegung und geben Sie das Passwort erneut ein. Wenn Sie es nicht mehr wissen, öffnen Sie das Postfach mit dem Wiederherstellungsschlüssel.',
    en: 'Check Caps Lock and the keyboard layout and enter the password again. If you no longer know it, open the mailbox with the recovery key.',
  },
  'store-wrong-recovery-key': {
    de: 'Geben Sie den Wiederherstellungsschlüssel genau so ein, wie er notiert ist (Bindestriche dürfen fehlen). Achten Sie auf verwechselbare Zeichen wie 0 und O.',
    en: 'Enter the recovery key exactly as written down (hyphens may be left out). Watch out for look-alike characters such as 0 and O.',
  },
  'store-key-unavailable': {
    de: 'Öffnen Sie das Postfach mit dem Passwort oder dem Wiederherstellungsschlüssel. Danach können Sie in den Einstellungen wieder das Öffnen mit der Windows-Anmeldung einschalten.',
    en: 'Open the mailbox with the password or the recovery key. Afterwards you can turn on opening with the Windows sign-in again in the settings.',
  },
  'keystore-unavailable': {
    de: 'Öffnen Sie das Postfach mit dem Passwort oder dem Wiederherstellungsschlüssel. Das passiert z. B. nach einem neuen Windows-Benutzerprofil.',
    en: 'Open the mailbox with the password or the recovery key. This happens, for example, after a new Windows user profile.',
  },
  'store-corrupt': {
    de: 'Schließen Sie das Programm und informieren Sie die IT. Sie kann den Datenspeicher aus der Sicherung zurückholen.',
    en: 'Close the program and inform IT support. They can restore the data store from the backup.',
  },
  'store-full': {
    de: 'Der Speicherplatz ist erschöpft. Löschen Sie übertragene Anträge (Einstellungen → Aufbewahrung) oder bitten Sie die IT um mehr Platz. Beim Intermediär geht nichts verloren: Nicht gespeicherte Anträge werden beim nächsten Abruf erneut geliefert.',
    en: 'The disk space is used up. Delete transferred applications (Settings → Retention) or ask IT support for more space. Nothing is lost at the intermediary: applications not stored are delivered again on the next fetch.',
  },
  'store-busy': {
    de: 'Ein anderes Programm (z. B. die Befehlszeile) benutzt den Datenspeicher gerade. Warten Sie einen Moment und versuchen Sie es erneut.',
    en: 'Another program (e.g. the command line) is using the data store right now. Wait a moment and try again.',
  },
  'store-too-new': {
    de: 'Der Datenspeicher stammt von einer neueren Programmversion. Bitten Sie die IT, das Programm zu aktualisieren.',
    en: 'The data store comes from a newer version of the program. Ask IT support to update the program.',
  },
  'store-not-open': {
    de: 'Öffnen Sie zuerst das Postfach (Passwort oder Wiederherstellungsschlüssel). Laden Sie dazu die Seite neu oder starten Sie das Programm neu.',
    en: 'Open the mailbox first (password or recovery key). Reload the page or restart the program.',
  },
  'store-weak-password': {
    de: 'Wählen Sie ein längeres Passwort (mindestens 8 Zeichen, besser ein Satz aus mehreren Wörtern).',
    en: 'Choose a longer password (at least 8 characters, better a sentence of several words).',
  },
  'store-legal-hold': {
    de: 'Für diesen Antrag ist eine Aufbewahrungspflicht gesetzt. Heben Sie sie zuerst auf (Weitere Aktionen), wenn er wirklich gelöscht werden darf.',
    en: 'A legal hold is set on this application. Lift it first (More actions) if it may really be deleted.',
  },
  'store-claimed': {
    de: 'Wer die Nachricht bearbeitet, steht in der Lesesicht. Bitten Sie die Person, sie freizugeben oder Ihnen zu übergeben; die Leitung kann sie übernehmen.',
    en: 'The reading pane shows who is working on the message. Ask that person to release it or hand it to you; the head of office can take it over.',
  },
  // key files and certificates
  'pkcs12-wrong-password': {
    de: 'Geben Sie das Passwort der Schlüsseldatei erneut ein (Groß- und Kleinschreibung beachten). Die IT hat es Ihnen mit der Datei gegeben.',
    en: 'Enter the key file’s password again (case matters). IT support gave it to you with the file.',
  },
  'pkcs12-corrupt': {
    de: 'Die Schlüsseldatei ist beschädigt oder unvollständig. Bitten Sie die IT um eine neue Kopie.',
    en: 'The key file is damaged or incomplete. Ask IT support for a new copy.',
  },
  'pkcs12-is-certificate': {
    de: 'Sie haben ein Zertifikat (.cer) statt der Schlüsseldatei (.p12/.pfx) gewählt. Wählen Sie die Schlüsseldatei des Postfachs.',
    en: 'You chose a certificate (.cer) instead of the key file (.p12/.pfx). Choose the mailbox’s key file.',
  },
  'pkcs12-no-private-key': {
    de: 'Die Datei enthält keinen privaten Schlüssel. Bitten Sie die IT um die Schlüsseldatei des Postfachs.',
    en: 'The file contains no private key. Ask IT support for the mailbox’s key file.',
  },
  'pkcs12-ambiguous-key': {
    de: 'Die Schlüsseldatei enthält mehrere passende Schlüssel. Die IT kann mit „postfach pki show“ den richtigen bestimmen und die Datei aufteilen.',
    en: 'The key file contains several matching keys. IT support can determine the right one with "postfach pki show" and split the file.',
  },
  'pkcs12-unsupported': {
    de: 'Die Schlüsseldatei ist mit einem Verfahren geschützt, das nicht unterstützt wird. Die IT kann sie neu exportieren (z. B. AES-256).',
    en: 'The key file is protected with an unsupported method. IT support can export it again (e.g. AES-256).',
  },
  'certificate-unreadable': {
    de: 'Die Zertifikatsdatei kann nicht gelesen werden. Wählen Sie die .cer-, .crt-, .pem- oder .p7b-Datei, die Sie von der IT bekommen haben.',
    en: 'The certificate file cannot be read. Choose the .cer, .crt, .pem or .p7b file you got from IT support.',
  },
  'certificate-is-pkcs12': {
    de: 'Sie haben eine Schlüsseldatei (.p12/.pfx) gewählt. Hier gehört das Zertifikat hin (.cer, .crt, .pem oder .p7b).',
    en: 'You chose a key file (.p12/.pfx). The certificate belongs here (.cer, .crt, .pem or .p7b).',
  },
  'trusted-ca-not-ca': {
    de: 'Vertrauen kann man nur einer Zertifizierungsstelle (CA), nicht einem einzelnen Absender-Zertifikat. Bitten Sie die IT um das CA-Zertifikat des Absenders (oft als .p7b-Bündel veröffentlicht).',
    en: 'Only a certification authority (CA) can be trusted, not a single sender certificate. Ask IT support for the sender’s CA certificate (often published as a .p7b bundle).',
  },
  'trusted-ca-unknown': {
    de: 'Die CA ist schon nicht mehr in der Liste. Schließen und öffnen Sie die Einstellungen, um die aktuelle Liste zu sehen.',
    en: 'The CA is no longer in the list. Close and open the settings to see the current list.',
  },
  'trusted-ca-not-in-file': {
    de: 'Die Datei wurde seit der Auswahl verändert. Wählen Sie sie erneut aus.',
    en: 'The file changed since it was chosen. Choose it again.',
  },
  'input-file': {
    de: 'Die Datei ist nicht mehr vorhanden oder nicht lesbar. Wählen Sie sie erneut aus.',
    en: 'The file is no longer there or cannot be read. Choose it again.',
  },
  'identity-missing': {
    de: 'Richten Sie zuerst das Postfach ein (Schlüsseldatei, Intermediär). Das geht über „Jetzt einrichten“.',
    en: 'Set up the mailbox first (key file, intermediary), using "Set up now".',
  },
  'identity-invalid': {
    de: 'Prüfen Sie die Angaben: Adresse des Intermediärs (beginnt mit https://), Schlüsseldatei und Zertifikat. Die IT hat sie Ihnen gegeben.',
    en: 'Check the details: the intermediary address (starts with https://), key file and certificate. IT support gave them to you.',
  },
  // network and intermediary
  network: {
    de: 'Prüfen Sie, ob der Rechner mit dem Netz verbunden ist, und versuchen Sie es in einigen Minuten erneut. Es geht nichts verloren: Der Intermediär behält die Anträge, bis sie abgeholt sind. Bleibt der Fehler, bitten Sie die IT, Adresse, Proxy und Firewall zu prüfen.',
    en: 'Check that the computer is connected to the network and try again in a few minutes. Nothing is lost: the intermediary keeps the applications until they are fetched. If the error persists, ask IT support to check the address, proxy and firewall.',
  },
  'http-status': {
    de: 'Der Intermediär ist gerade gestört. Versuchen Sie es später erneut; es geht nichts verloren. ' + ask,
    en: 'The intermediary is disrupted right now. Try again later; nothing is lost. ' + askEn,
  },
  fault: {
    de: 'Der Intermediär hat die Anfrage abgelehnt. Versuchen Sie es später erneut. ' + ask,
    en: 'The intermediary refused the request. Try again later. ' + askEn,
  },
  'osci-error': {
    de: 'Der Intermediär meldet einen Fehler. Versuchen Sie es später erneut; bleibt er, geben Sie der IT die technische Angabe (mit dem OSCI-Code) weiter.',
    en: 'The intermediary reports an error. Try again later; if it stays, give IT support the technical detail (with the OSCI code).',
  },
  'signature-invalid': {
    de: 'Verwenden Sie diesen Inhalt nicht. Die Signatur passt nicht zum Inhalt – er könnte verändert worden sein. Informieren Sie die IT und klären Sie den Antrag mit dem Absender.',
    en: 'Do not use this content. The signature does not match the content – it may have been altered. Inform IT support and clarify the application with the sender.',
  },
  'signer-untrusted': {
    de: 'Die Antwort war nicht vom eingestellten Intermediär signiert. Rufen Sie nicht weiter ab und informieren Sie die IT (Zertifikat des Intermediärs prüfen).',
    en: 'The answer was not signed by the configured intermediary. Do not fetch again and inform IT support (check the intermediary’s certificate).',
  },
  'transport-decryption': {
    de: 'Die Antwort des Intermediärs konnte nicht entschlüsselt werden – meist passt die Schlüsseldatei nicht zum Postfach. Die IT prüft die Einrichtung.',
    en: 'The intermediary’s answer could not be decrypted – usually the key file does not belong to the mailbox. IT support checks the set-up.',
  },
  'no-matching-key': {
    de: 'Die Schlüsseldatei passt nicht zu diesem Postfach. Die IT prüft, ob das richtige Zertifikat eingerichtet ist.',
    en: 'The key file does not belong to this mailbox. IT support checks that the right certificate is set up.',
  },
  'dialog-mismatch': {
    de: 'Die Verbindung wurde unterbrochen. Rufen Sie erneut ab; bereits gespeicherte Anträge werden nicht doppelt gespeichert.',
    en: 'The connection was interrupted. Fetch again; applications already stored are not stored twice.',
  },
  'fetch-running': {
    de: 'Warten Sie, bis der laufende Abruf beendet ist (Fortschritt oben), oder brechen Sie ihn ab.',
    en: 'Wait until the running fetch has finished (progress at the top), or cancel it.',
  },
  'certificate-expiring': {
    de: 'Bitten Sie die IT rechtzeitig um ein neues Zertifikat für das Postfach. Es muss auch bei der Sozialplattform (DVDV) hinterlegt werden.',
    en: 'Ask IT support in good time for a new certificate for the mailbox. It must also be registered with the Sozialplattform (DVDV).',
  },
  'certificate-expired': {
    de: 'Das Zertifikat des Postfachs ist abgelaufen: Neue Anträge können nicht mehr sicher empfangen werden. Bitten Sie die IT sofort um ein neues Zertifikat.',
    en: 'The mailbox certificate has expired: new applications can no longer be received securely. Ask IT support for a new certificate at once.',
  },
  // exports and documents
  'export-target': {
    de: 'Wählen Sie einen anderen Speicherort (z. B. „Dokumente“) oder einen anderen Dateinamen. Vielleicht ist die Datei noch in einem anderen Programm geöffnet.',
    en: 'Choose another location (e.g. "Documents") or another file name. The file may still be open in another program.',
  },
  'export-pdf': {
    de: 'Exportieren Sie stattdessen das XML und die Anhänge; die Daten sind vollständig darin. ' + ask,
    en: 'Export the XML and the attachments instead; they contain all data. ' + askEn,
  },
  'export-source': {
    de: 'Der gespeicherte Inhalt konnte nicht gelesen werden. Versuchen Sie es erneut; ' + ask.toLowerCase(),
    en: 'The stored content could not be read. Try again; ' + askEn.toLowerCase(),
  },
  'export-unreadable': {
    de: 'Exportieren Sie die Zustellung als XML (so wie empfangen) und geben Sie sie der IT. Eine Eingangsbestätigung ist möglich.',
    en: 'Export the delivery as XML (as received) and give it to IT support. A confirmation of receipt is possible.',
  },
  'handover-folder': {
    de: 'Geben Sie der IT Bescheid: Der Übergabeordner ist nicht erreichbar oder voll. Es geht nichts verloren; die Übergabe wird beim nächsten Abruf nachgeholt.',
    en: 'Tell IT support: the hand-over folder cannot be reached or is full. Nothing is lost; the hand-over is repeated at the next fetch.',
  },
  'handover-inconsistent': GENERIC,
  'handover-not-configured': GENERIC,
  'document-missing': {
    de: 'Laden Sie den Antrag erneut (in der Liste anklicken).',
    en: 'Load the application again (click it in the list).',
  },
  'open-external-failed': {
    de: 'Speichern Sie das Dokument („Diese Anlage speichern“) und öffnen Sie es aus dem Ordner. Fehlt ein Programm für diesen Dateityp, hilft die IT.',
    en: 'Save the document (“Save this attachment”) and open it from the folder. If no program for this file type is installed, IT can help.',
  },
  'shell-unavailable': {
    de: 'Diese Funktion gibt es nur im Desktop-Programm. Im Browser-Modus werden Exporte als Download gespeichert.',
    en: 'This function exists only in the desktop program. In browser mode, exports are saved as downloads.',
  },
  'export-folder-not-allowed': {
    de: 'Wählen Sie beim Speichern einen der genannten Ordner (oder einen Unterordner davon).',
    en: 'When saving, choose one of the folders named (or a subfolder of it).',
  },
  'training-not-offered': {
    de: 'Richten Sie das echte Postfach ein. Für Schulungen kann die IT den Übungsmodus auf einem Schulungs-PC freigeben.',
    en: 'Set up the real mailbox. For training, IT can allow the training mode on a training PC.',
  },
  'backup-wrong-password': {
    de: 'Geben Sie das Passwort der Sicherung erneut ein (nicht das Passwort des Datenspeichers). Achten Sie auf die Feststelltaste.',
    en: 'Enter the backup password again (not the data store password). Check Caps Lock.',
  },
  'backup-corrupt': {
    de: 'Nehmen Sie eine andere Sicherung, z. B. die vom Vortag. Diese Datei wird nicht verwendet.',
    en: 'Take another backup, e.g. the one from the day before. This file is not used.',
  },
  'rotation-same-certificate': {
    de: 'Wählen Sie die neue Schlüsseldatei, die Sie für das Folgezertifikat erhalten haben.',
    en: 'Choose the new key file you received for the follow-up certificate.',
  },
  'key-self-signed': {
    de: 'Beantragen Sie ein Zertifikat einer Zertifizierungsstelle; ein selbst erstelltes Zertifikat lässt Ihre IT nicht zu.',
    en: 'Request a certificate from a certification authority; your IT does not allow a self-made one.',
  },
  'key-too-short': {
    de: 'Beantragen Sie einen Schlüssel mit mindestens der genannten Länge.',
    en: 'Request a key of at least the length named.',
  },
  'proxy-auth': {
    de: `Die Anmeldung am Proxy ist Sache der IT: Sie prüft Benutzer und Passwort des Proxys in der Vorgabe. ${ask}`,
    en: `Signing in to the proxy is for IT: they check the proxy user and password in the settings. ${askEn}`,
  },
  'tls-untrusted': {
    de: `Senden Sie nichts weiter und informieren Sie die IT: Die Verbindung könnte umgeleitet sein, oder es fehlt eine Zertifizierungsstelle. ${ask}`,
    en: `Send nothing further and inform IT: the connection may be redirected, or a certification authority is missing. ${askEn}`,
  },
  'tls-expired': {
    de: `Prüfen Sie Datum und Uhrzeit des PCs. Stimmen sie, informieren Sie die IT. ${ask}`,
    en: `Check the PC's date and time. If they are right, inform IT. ${askEn}`,
  },
  'tls-wrong-host': {
    de: `Prüfen Sie die Adresse des Intermediärs in den Einstellungen. ${ask}`,
    en: `Check the intermediary address in the settings. ${askEn}`,
  },
  'setting-locked': {
    de: 'Diese Einstellung hat Ihre IT für alle festgelegt. Wenn sie für Ihre Arbeit nicht passt, wenden Sie sich an die IT.',
    en: 'Your IT has fixed this setting for everyone. If it does not suit your work, contact IT support.',
  },
  clipboard: {
    de: 'Markieren Sie den Wert mit der Maus und kopieren Sie ihn mit Strg+C. Wenn das Kopieren dauerhaft gesperrt ist, bitten Sie die IT, die Zwischenablage für das OSCI-Postfach freizugeben.',
    en: 'Select the value with the mouse and copy it with Ctrl+C. If copying stays blocked, ask IT support to allow the clipboard for OSCI-Postfach.',
  },
  'training-running': {
    de: 'Beenden Sie den Übungsmodus im anderen Programm (oder in einem anderen Fenster) und versuchen Sie es dann erneut. ' + ask,
    en: 'End the training mode in the other program (or another window), then try again. ' + askEn,
  },
  'training-unavailable': {
    de: 'Starten Sie das Programm neu. ' + ask,
    en: 'Restart the program. ' + askEn,
  },
  // the connection between window and service
  'service-stopped': {
    de: 'Starten Sie das Programm neu. Es geht nichts verloren: Gespeicherte Anträge bleiben erhalten, nicht abgeholte liegen weiter beim Intermediär.',
    en: 'Restart the program. Nothing is lost: stored applications are kept, applications not yet fetched stay at the intermediary.',
  },
  'service-restarted': {
    de: 'Versuchen Sie die Aktion erneut. Geschieht es bei derselben Nachricht wieder, wird dieser Schritt für sie gesperrt; informieren Sie dann die IT. Es geht nichts verloren.',
    en: 'Try the action again. If it happens again with the same message, this step is blocked for it; then inform IT. Nothing is lost.',
  },
  'work-quarantined': {
    de: 'Exportieren Sie die Nachricht als XML (so wie empfangen) und geben Sie der IT die technische Angabe weiter; die IT kann den Schritt nach der Prüfung wieder freigeben.',
    en: 'Export the message as XML (as received) and give IT support the technical detail; IT can release the step again after checking.',
  },
  'value-missing': {
    de: 'Öffnen Sie die Nachricht erneut. ' + ask,
    en: 'Open the message again. ' + askEn,
  },
  'bridge-unreachable': {
    de: 'Laden Sie die Seite neu. Läuft das Programm nicht mehr, starten Sie es neu und öffnen Sie die angezeigte Adresse.',
    en: 'Reload the page. If the program is no longer running, restart it and open the address shown.',
  },
  'serve-signed-out': {
    de: 'Laden Sie die Seite neu und melden Sie sich wieder an.',
    en: 'Reload the page and sign in again.',
  },
  'serve-forbidden': {
    de: 'Ihre Rolle erlaubt diese Aktion nicht. Wenden Sie sich an die Leitung oder die IT.',
    en: 'Your role does not allow this action. Contact the head of office or IT.',
  },
  'bridge-token': {
    de: 'Öffnen Sie die Adresse, die beim Start des Programms angezeigt wurde (mit „#token=…“).',
    en: 'Open the address shown when the program was started (with "#token=…").',
  },
  'hostile-xml': {
    de: 'Verwenden Sie diese Zustellung nicht. Sie enthält gefährliche Konstrukte. Informieren Sie die IT.',
    en: 'Do not use this delivery. It contains dangerous constructs. Inform IT support.',
  },
  'xml-malformed': {
    de: 'Die Zustellung ist unvollständig oder beschädigt. Exportieren Sie sie als XML für die IT und klären Sie den Antrag mit dem Absender.',
    en: 'The delivery is incomplete or damaged. Export it as XML for IT support and clarify the application with the sender.',
  },
  internal: {
    de: 'Versuchen Sie es erneut. Hilft das nicht, starten Sie das Programm neu und geben Sie der IT die technische Angabe weiter.',
    en: 'Try again. If that does not help, restart the program and give IT support the technical detail.',
  },
  // the generic advice fits these
  'codelist-invalid': GENERIC,
  'codelist-unreadable': GENERIC,
  'content-decryption': GENERIC,
  'dialog-closed': GENERIC,
  'digest-mismatch': GENERIC,
  malformed: GENERIC,
  'signature-incomplete': GENERIC,
  'signature-missing': GENERIC,
  'unsupported-algorithm': GENERIC,
  'store-closed': GENERIC,
  'store-exists': GENERIC,
  'store-invalid-input': GENERIC,
  'store-io': GENERIC,
  'store-last-key-wrapper': GENERIC,
  'store-not-found': GENERIC,
  'store-unknown-message': GENERIC,
  'pkcs12-key-without-certificate': GENERIC,
  'pkcs12-no-suitable-key': GENERIC,
  'pkcs12-selected-key-missing': GENERIC,
  'pkcs12-too-costly': GENERIC,
  'key-not-valid-now': GENERIC,
  'tls-failed': GENERIC,
  'proxy-pac': GENERIC,
  'xml-empty': GENERIC,
  'xml-encoding': GENERIC,
  'xml-limit': GENERIC,
  'export-target-exists': GENERIC,
  'backup-io': GENERIC,
  'backup-target-exists': GENERIC,
  'backup-too-new': GENERIC,
  'backup-weak-password': GENERIC,
  'rotation-none': GENERIC,
  'rotation-unsuitable': GENERIC,
  'transfer-invalid': GENERIC,
  'transfer-unknown': GENERIC,
  'api-invalid-event': GENERIC,
  'api-invalid-input': GENERIC,
  'api-invalid-output': GENERIC,
  'api-unknown-method': GENERIC,
  'bridge-foreign-host': GENERIC,
  'serve-account': GENERIC,
  'serve-config': GENERIC,
  'serve-no-tls': GENERIC,
  'serve-running': GENERIC,
  'bridge-foreign-origin': GENERIC,
  'bridge-not-loopback': GENERIC,
  'ipc-untrusted-sender': GENERIC,
  'service-protocol': GENERIC,
  'test-pki-exists': GENERIC,
  'test-pki-invalid': GENERIC,
  'test-pki-missing': GENERIC,
  'test-pki-write-failed': GENERIC,
  'intermediary-data': GENERIC,
  'intermediary-listen': GENERIC,
  'fetch-failed': GENERIC,
  'abnahme-not-test': GENERIC,
  'config-invalid': GENERIC,
  'content-ambiguous': GENERIC,
  'electron-failed': GENERIC,
  'file-unreadable': GENERIC,
  'folder-not-private': GENERIC,
  'invalid-argument': GENERIC,
  'no-content': GENERIC,
  'password-missing': GENERIC,
  'ui-not-built': GENERIC,
  usage: GENERIC,
  'xsd-bundle': GENERIC,
} as const satisfies Record<ErrorKind, UserText | typeof GENERIC>;

export const GENERIC_HELP: UserText = {
  de: 'Bitte versuchen Sie es noch einmal. ' + ask,
  en: 'Please try again. ' + askEn,
};

/** The advice for a kind (an older name of a kind, as stored by an earlier version, gets its kind's advice). */
export function helpFor(kind: string): UserText {
  const known = canonicalKind(kind);
  const help: UserText | typeof GENERIC = known === undefined ? GENERIC : HELP[known];
  return help === GENERIC ? GENERIC_HELP : help;
}
