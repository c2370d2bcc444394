/** Why a delivery could not be read ("nicht lesbar"), in the caseworker's words, above its tabs. */
import { useLanguage } from '../i18n/i18n.js';
import { unreadableReasonOf } from '../mailbox/MessageRow.js';
import type { ListItem } from './types.js';

export function UnreadableNotice({ item }: { item: ListItem }) {
  const { t, language } = useLanguage();
  if (item.unreadableKind === null) return null;
  return (
    <div className="notice notice--warn" data-testid="unreadable-notice">
      <h3 className="notice__title">{t.message.unreadableHeading}</h3>
      <p>
        <strong>{unreadableReasonOf(item, language)}</strong>
      </p>
      <p>{t.message.unreadableText}</p>
    </div>
  );
}
