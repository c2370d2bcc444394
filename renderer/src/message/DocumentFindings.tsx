/**
 * On the Laufzettel: the documents that are not what they claim to be (declared PDF/image, bytes something else)
 * or of no allowed file type (exported as .bin) — each with its name, what was declared, what the content is, and
 * the name the export writes. The document tiles say the same beside each document.
 */
import { IconWarning } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { useLanguage } from '../i18n/i18n.js';
import type { DocumentEntry } from './types.js';

export function DocumentFindings({ documents }: { documents: readonly DocumentEntry[] }) {
  const { t, language } = useLanguage();
  const words = t.message.laufzettel;
  const flagged = documents.filter((d) => d.mimeMismatch || !d.exportAllowed);
  if (documents.length === 0) return null;
  return (
    <section className="document-findings" aria-labelledby="document-findings-heading" data-testid="laufzettel-documents">
      <h3 id="document-findings-heading">{words.documentFindings}</h3>
      {flagged.length === 0 ? (
        <p>{words.documentFindingsNone}</p>
      ) : (
        <ul className="document-findings__list">
          {flagged.map((d, i) => (
            <li key={i} className="document-findings__item">
              <strong>
                <Shown text={d.fileName ?? d.name} />
              </strong>
              : {words.documentFinding(d.mimeType ?? words.declaredNone, d.detectedMimeType ?? words.detectedNone)}
              {d.mimeMismatch ? (
                <span className="documents__problem">
                  <IconWarning /> {d.problem ? (language === 'de' ? d.problem.de : d.problem.en) : t.message.documents.mimeMismatch}
                </span>
              ) : null}
              {d.exportAllowed ? null : (
                <span className="documents__problem">
                  <IconWarning /> {t.message.documents.notAllowed}
                </span>
              )}
              <span className="documents__export">
                {t.message.documents.savedAs}: <Shown text={d.exportName} tokens className="mono" />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
