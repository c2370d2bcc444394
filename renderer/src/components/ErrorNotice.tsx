/**
 * Shows a failure the way the caseworker needs it: the plain sentence in the UI language, "Was kann ich tun?" (what
 * to do next, by the error's kind), the technical detail for IT one click away, and a retry where one makes sense.
 * Anything that is not a PostfachError is shown as the generic internal error (its message may be technical, so it
 * only goes into the detail).
 */
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { toPostfachError, type PostfachError } from '../../../core/errors.js';
import { helpFor } from '../errors/help.js';
import { useT, useUserText } from '../i18n/i18n.js';

export function ErrorNotice({ error, onRetry, headingLevel = 2 }: { error: unknown; onRetry?: () => void; headingLevel?: 2 | 3 }) {
  const t = useT();
  const text = useUserText();
  const e: PostfachError = toPostfachError(error);
  const Title = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="notice notice--error" role="alert">
      <Title className="notice__title">{t.errors.heading}</Title>
      <p>{text(e.text)}</p>
      <ErrorHelp error={e} headingLevel={headingLevel + 1} />
      {onRetry === undefined ? null : (
        <Button className="button" onPress={onRetry}>
          {t.errors.retry}
        </Button>
      )}
    </div>
  );
}

/** "Was kann ich tun?" and the technical detail (for the notice and the status bar's help dialog). */
export function ErrorHelp({ error, headingLevel = 3 }: { error: unknown; headingLevel?: number }) {
  const t = useT();
  const text = useUserText();
  const e = toPostfachError(error);
  const level = Math.min(6, headingLevel) as 3 | 4 | 5 | 6;
  const Title = `h${level}` as const;
  return (
    <>
      <div className="notice__help">
        <Title className="notice__help-title">{t.errors.whatCanIDo}</Title>
        <p>{text(helpFor(e.kind))}</p>
      </div>
      <Disclosure className="notice__detail">
        <Heading level={level} className="notice__detail-heading">
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
    </>
  );
}
