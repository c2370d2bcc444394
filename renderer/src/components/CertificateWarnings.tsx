/**
 * The warnings of a mailbox certificate (key shorter than recommended, expiring soon or expired, key usage that does
 * not fit, outdated signature algorithm), as `postfach pki show` names them: shown where a key file is chosen — at
 * the set-up and in the certificate change wizard. Nothing is shown for a certificate without warnings.
 */
import type { CertificateSummary } from '../../../core/api/contract/mailbox.js';
import { useUserText } from '../i18n/i18n.js';

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
  const text = useUserText();
  const warnings = certificate?.warnings ?? [];
  if (warnings.length === 0) return null;
  const Title = `h${headingLevel}` as const;
  return (
    <div className="notice notice--warn" data-testid={testId}>
      <Title className="notice__title">{heading}</Title>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.code}|${w.de}`}>{text(w)}</li>
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
  const seen = new Set<string>();
  const warnings = certificates.flatMap((c) => c?.warnings ?? []).filter((w) => (seen.has(w.de) ? false : (seen.add(w.de), true)));
  return { ...first, warnings };
}
