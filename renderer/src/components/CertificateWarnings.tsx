/**
 * The warnings of a mailbox certificate (key shorter than recommended, expiring soon or expired, key usage that does
 * not fit, outdated signature algorithm), as `postfach pki show` names them: shown where a key file is chosen — at
 * the set-up and in the certificate change wizard. Nothing is shown for a certificate without warnings.
 */
import type { CertificateSummary, CertificateWarning } from '../../../core/api/contract/mailbox.js';
import type { UiLanguage } from '../../../core/api/contract.js';
import { certificateWarningWords } from '../../../core/domain/words/index.js';
import { office } from '../format/format.js';
import { useLanguage } from '../i18n/i18n.js';

/**
 * A certificate warning in the UI's language from the one words module (core/domain/words), its days in the office
 * zone as the command line says them: "03.05.2036" in German, "2036-05-03" in English.
 */
export function certificateWarningText(w: CertificateWarning, language: UiLanguage): string {
  const f = office(language);
  return certificateWarningWords(language, w, (iso) => (language === 'de' ? f.date(iso) : (f.day(iso) ?? '')));
}

export function CertificateWarnings({
  certificate,
  heading,
  intro,
  testId,
  headingLevel = 3,
}: {
  certificate: CertificateSummary | null | undefined;
  heading: string;
  intro?: string;
  testId?: string;
  headingLevel?: 2 | 3 | 4;
}) {
  const { language } = useLanguage();
  const warnings = certificate?.warnings ?? [];
  if (warnings.length === 0) return null;
  const Title = `h${headingLevel}` as const;
  return (
    <div className="notice notice--warn" data-testid={testId}>
      <Title className="notice__title">{heading}</Title>
      <ul>
        {warnings.map((w) => (
          <li key={JSON.stringify(w)}>{certificateWarningText(w, language)}</li>
        ))}
      </ul>
      {intro ? <p>{intro}</p> : null}
    </div>
  );
}

/** One certificate's warnings and another's (e.g. cipher and separate signature certificate), each said once. */
export function mergedWarnings(...certificates: Array<CertificateSummary | null | undefined>): CertificateSummary | null {
  const first = certificates.find((c): c is CertificateSummary => c !== null && c !== undefined);
  if (first === undefined) return null;
  // each sentence once (the German one decides, in every language)
  const seen = new Set<string>();
  const warnings = certificates
    .flatMap((c) => c?.warnings ?? [])
    .filter((w) => {
      const key = certificateWarningText(w, 'de');
      return seen.has(key) ? false : (seen.add(key), true);
    });
  return { ...first, warnings };
}
