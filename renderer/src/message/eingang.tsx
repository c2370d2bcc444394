/**
 * An Eingang that is not the plausible Creation, said where the Eingang is shown (list row, reading pane header,
 * Laufzettel, print): the check in words (contract/legal-time.ts) and the time of receipt beside it, which the
 * certificates were judged at instead. Nothing is said for a plausible Creation, nor for deliveries fetched before
 * the check was stored whose Creation is known.
 */
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { creationCheckWords, creationFlagWords, fetchedShortWords, receivedInsteadWords, type CreationCheckCode } from '../../../core/api/contract/legal-time-words.js';
import type { UiLanguage } from '../../../core/api/contract.js';
import { dateTime } from '../format/format.js';

/** The check to say, or null: an implausible Creation, or none at all (the time shown is then the fetch time). */
export function eingangProblem(item: Pick<MessageListItem, 'creationCheck' | 'eingangKnown'>): CreationCheckCode | null {
  const code = item.creationCheck ?? (item.eingangKnown ? null : 'missing');
  return code === null || code === 'plausible' ? null : code;
}

/**
 * For a row, in the Eingang's place: "nicht plausibel · Abruf 05.12.2026, 13:32" (the row's name says it in
 * full). A missing Creation needs no flag there: the row already shows "abgerufen <time>" in its place.
 */
export function eingangFlagText(item: MessageListItem, language: UiLanguage): string | null {
  const code = eingangProblem(item);
  if (code === null || code === 'missing') return null;
  const at = dateTime(item.fetchedAt, language);
  return `${creationFlagWords(code)[language]} · ${fetchedShortWords({ de: at, en: at })[language]}`;
}

/** The whole notice: "Eingang nicht plausibel: liegt in der Zukunft; abgerufen am …; Zertifikate zu diesem Zeitpunkt geprüft". */
export function eingangNoticeText(item: MessageListItem, language: UiLanguage): string | null {
  const code = eingangProblem(item);
  if (code === null) return null;
  const at = dateTime(item.fetchedAt, language, true);
  return `${creationCheckWords(code)[language]}; ${receivedInsteadWords({ de: at, en: at })[language]}`;
}

export function EingangNotice({ item, language }: { item: MessageListItem; language: UiLanguage }) {
  const text = eingangNoticeText(item, language);
  return text === null ? null : (
    <span className="eingang-warning" data-testid="eingang-warning">
      ⚠ {text}
    </span>
  );
}
