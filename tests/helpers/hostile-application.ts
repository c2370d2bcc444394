/**
 * Issue 16's hostile application, invented: the applicant's documents of the security review (an HTML application,
 * an Internet shortcut, a script and a program, each declared as application/pdf and named like one), a real PDF
 * whose name carries a right-to-left override ("Antrag<U+202E>fdp.exe" shows as "Antragexe.pdf"), the override also
 * in the applicant's name, the IBAN and the subject; and OSCI attachments of the same kind. Used by the export, CLI
 * and UI tests.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { signaturesJson } from '../../core/mailbox/message-dto.js';
import type { NewDelivery } from '../../core/store/index.js';
import { detectMimeType, UNKNOWN_TYPE } from '../../core/xsozial/magic.js';
import { summarize } from '../../core/xsozial/index.js';
import { evidenceChunks, generateApplication } from '../../intermediary/generator/index.js';

export const RLO = '\u202E';

export const HTA = Buffer.from(
  '<html><head><hta:application id="x" windowstate="minimize"/><script language="VBScript">CreateObject("WScript.Shell").Run "calc.exe"</script></head><body></body></html>\r\n',
);
export const URL_FILE = Buffer.from('[InternetShortcut]\r\nURL=file:///C:/Windows/System32/calc.exe\r\nIconIndex=0\r\n');
export const SCRIPT = Buffer.from('var shell = new ActiveXObject("WScript.Shell");\r\nshell.Run("calc.exe");\r\n');
export const EXE = Buffer.concat([
  Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]),
  Buffer.alloc(48),
  Buffer.from('This program cannot be run in DOS mode.'),
]);
export const LNK = Buffer.concat([Buffer.from([0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00]), Buffer.alloc(60)]);
export const pdfBytes = (seed: string): Buffer => Buffer.concat([...evidenceChunks({ seed, index: 1, size: 6_000, kind: 'pdf' })]);

/** The review's four documents, each declared as application/pdf, and a real PDF with U+202E in its name. */
export const HOSTILE_DOCUMENTS: ReadonlyArray<readonly [name: string, mime: string | undefined, bytes: Buffer]> = [
  ['Nachweis.pdf.hta', 'application/pdf', HTA],
  ['Kontoauszug.pdf.url', 'application/pdf', URL_FILE],
  ['Rechnung.js', 'application/pdf', SCRIPT],
  ['Bescheid.pdf.exe', 'application/pdf', EXE],
  [`Antrag${RLO}fdp.exe`, 'application/pdf', pdfBytes('rlo')],
];

/** What the export of the documents writes for HOSTILE_DOCUMENTS (inline), in order. */
export const HOSTILE_EXPORT_NAMES = ['Nachweis_pdf_hta.bin', 'Kontoauszug_pdf_url.bin', 'Rechnung_js.txt', 'Bescheid_pdf_exe.bin', 'Antrag⟨U+202E⟩fdp_exe.pdf'];

export function dokumentXml(documents: ReadonlyArray<readonly [string, string | undefined, Buffer]>, idPrefix = 'H'): string {
  return documents
    .map(
      ([name, mime, bytes], i) =>
        `<xsb:dokument><xsb:dokumentID>${idPrefix}${i + 1}</xsb:dokumentID><xsb:name>${name}</xsb:name><xsb:dokumentRepraesentation>${mime ? `<xsb:mimeType>${mime}</xsb:mimeType>` : ''}<xsb:inhalt>${bytes.toString('base64')}</xsb:inhalt><xsb:dateiname>${name}</xsb:dateiname></xsb:dokumentRepraesentation></xsb:dokument>`,
    )
    .join('');
}

export interface HostileApplication {
  readonly xml: Buffer;
  /** The applicant's name as delivered (with U+202E). */
  readonly applicant: string;
  /** The same name as lists write it: "Nachname, Vorname" (still with U+202E). */
  readonly applicantFiled: string;
  readonly iban: string;
  readonly subject: string;
}

/** A generated application (Hilfe zum Lebensunterhalt) with the overrides and the hostile documents added. */
export async function hostileApplication(seed = 'hostile'): Promise<HostileApplication> {
  const app = await generateApplication({ service: 'hzl', seed, evidence: { count: 1, size: 4_000 } });
  let text = Buffer.from(app.bytes()).toString('utf8');
  let iban = '';
  text = text.replace(/<xsb:iban>([A-Z0-9]+)<\/xsb:iban>/, (_m, value: string) => {
    iban = `${value.slice(0, 12)}${RLO}${value.slice(12)}`;
    return `<xsb:iban>${iban}</xsb:iban>`;
  });
  text = text.replace(/(<xsb:familienname><xsb:name>)([^<]+)(<\/xsb:name>)/, (_m, open: string, name: string, close: string) => `${open}${name}${RLO}rellüM${close}`);
  const at = text.lastIndexOf('</xsb:xsozial>');
  text = `${text.slice(0, at)}${dokumentXml(HOSTILE_DOCUMENTS)}${text.slice(at)}`;
  const xml = Buffer.from(text, 'utf8');
  const summary = await summarize(xml);
  const name = summary.applicantNames[0];
  return {
    xml,
    applicant: summary.applicants[0] ?? '',
    applicantFiled: name ? `${name.family}, ${name.given}` : '',
    iban,
    subject: `Antrag auf Hilfe zum Lebensunterhalt ${RLO}(gnuthcaeb)`,
  };
}

/** OSCI attachments of the same kind: a shortcut with an override in its name, a real PDF. */
export const HOSTILE_OSCI_ATTACHMENTS: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer; readonly exportName: string }> = [
  { name: `Scan${RLO}fdp.lnk`, bytes: LNK, exportName: 'Scan⟨U+202E⟩fdp_lnk.bin' },
  { name: 'Mietvertrag.pdf', bytes: pdfBytes('osci'), exportName: 'Mietvertrag.pdf' },
];

/** The delivery as the fetch engine would store it (attachment types detected from the bytes, as accept-delivery does). */
export async function hostileDelivery(seed = 'hostile', now = Date.now()): Promise<{ delivery: NewDelivery; application: HostileApplication }> {
  const application = await hostileApplication(seed);
  const summary = await summarize(application.xml);
  return {
    application,
    delivery: {
      messageId: createHash('sha256').update(seed).digest('hex').slice(0, 32),
      subject: application.subject,
      content: application.xml,
      contentType: 'application/xml',
      processCard: { creation: new Date(now - 3_600_000), forwarding: new Date(now - 60_000), reception: new Date(now - 50_000) },
      signatureResult: signaturesJson([
        {
          role: 'author',
          container: 'Inhaltsdaten',
          result: 'valid',
          certificate: 'trusted',
          algorithm: 'RSA-SHA256',
          revocation: 'not-checked',
          reasons: [],
          technical: 'xmldsig rsa-sha256 over 1 reference (fixture)',
        },
      ]),
      summary: {
        applicants: [...summary.applicants],
        applicantNames: [...summary.applicantNames],
        benefitCode: summary.benefit?.code ?? null,
        benefitText: summary.benefit?.text ?? null,
        applicationDate: summary.applicationDate?.slice(0, 10) ?? null,
        isTest: summary.test,
        signatureStatus: 'trusted',
      },
      attachments: HOSTILE_OSCI_ATTACHMENTS.map((a) => ({ name: a.name, mimeType: detectMimeType(a.bytes.subarray(0, 1024)) ?? UNKNOWN_TYPE, content: a.bytes })),
      fetchedAt: new Date(now - 60_000),
    },
  };
}
