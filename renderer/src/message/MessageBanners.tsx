/**
 * The lines above a message's header that say what kind of delivery it is: a Testantrag, an application without
 * signature, parts that are not the application. Each only where it applies.
 */
import { useT, useWords } from '../i18n/i18n.js';
import type { Detail } from './types.js';

export function MessageBanners({ detail }: { detail: Detail }) {
  const t = useT();
  const words = useWords();
  const item = detail.item;
  const extraParts = detail.parts.filter((p) => p.coverage.role === 'extra').length;
  return (
    <>
      {item.isTest ? (
        <p className="banner banner--test" data-testid="test-banner">
          {t.message.testBanner}
        </p>
      ) : null}
      {item.unreadableKind === null && item.signatureStatus === 'unsigned' ? (
        <p className="banner banner--unsigned" role="note" data-testid="unsigned-banner">
          {words.unsignedBanner}
        </p>
      ) : null}
      {item.unreadableKind === null && extraParts > 0 ? (
        <p className="banner banner--extra" role="note" data-testid="extra-parts-banner">
          {t.message.extraParts(extraParts)}
        </p>
      ) : null}
    </>
  );
}
