/**
 * Shows a failure the way the caseworker needs it: the plain sentence in the UI language, the technical detail for
 * IT one click away, and a retry where one makes sense. Anything that is not a PostfachError is shown as the
 * generic internal error (its message may be technical, so it only goes into the detail).
 */
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { PostfachError, toPostfachError } from '../../../core/errors.js';
import { useLanguage } from '../i18n/i18n.js';

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { language, t } = useLanguage();
  const e: PostfachError = toPostfachError(error);
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice__title">{t.errors.heading}</h2>
      <p>{language === 'de' ? e.text.de : e.text.en}</p>
      <Disclosure className="notice__detail">
        <Heading level={3} className="notice__detail-heading">
          <Button slot="trigger" className="button button--link">
            {t.errors.technicalDetail}
          </Button>
        </Heading>
        <DisclosurePanel>
          <p className="mono">
            {e.kind}
            {e.osciCode === undefined ? '' : ` · OSCI ${e.osciCode}`} · {e.detail}
          </p>
        </DisclosurePanel>
      </Disclosure>
      {onRetry === undefined ? null : (
        <Button className="button" onPress={onRetry}>
          {t.errors.retry}
        </Button>
      )}
    </div>
  );
}
