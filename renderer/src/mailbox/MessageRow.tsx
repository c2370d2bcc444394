/**
 * One row of the message list, two lines as in a mail program: applicant (bold while unread) and benefit; then
 * Eingang (the Creation timestamp, never the fetch time; an implausible one flagged with the fetch time beside it), attachments, state and the signature with words. A
 * Testantrag carries a banner, a "nicht lesbar" delivery its reason. The option's accessible name says all of
 * it in one sentence, "ungelesen" first.
 */
import type { MessageListItem } from '../../../core/api/contract/mailbox.js';
import { formatPersonName } from '../../../core/xsozial/person-name-format.js';
import { unreadableWords } from '../../../core/api/contract/unreadable.js';
import { wordsOf } from '../../../core/domain/words/index.js';
import { visibleText } from '../../../core/visible-text.js';
import { clipText } from '../../../core/text-bounds.js';
import { IconAttachment } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { hasMatch, useSearchTerms } from '../components/Highlight.js';
import { dayText, today } from '../format/days.js';
import { SignatureBadge } from '../components/SignatureBadge.js';
import { dateTime } from '../format/format.js';
import { eingangFlagText, eingangNoticeText } from '../message/eingang.js';
import type { Messages } from '../i18n/messages.de.js';
import type { UiLanguage } from '../../../core/api/contract.js';
import { inboxWords } from '../i18n/words-inbox.js';

/** Characters a row shows of the applicants and of the benefit (the list keeps each up to 200; a row is one line). */
const ROW_CHARS = 300;

/**
 * The applicants as the office files them: "Nachname, Vorname" (the setting `familyNameFirst`, on by default) or
 * "Vorname Nachname", from the names in their parts; a row stored without parts shows its names as stored.
 */
export function applicantOf(item: MessageListItem, t: Messages, familyFirst = true): string {
  if (item.applicantNames !== null && item.applicantNames.length > 0) return clipText(item.applicantNames.map((n) => formatPersonName(n, familyFirst)).join('; '), ROW_CHARS);
  if (item.applicants.length > 0) return clipText(item.applicants.join('; '), ROW_CHARS);
  if (item.unreadableKind !== null) return t.mailbox.folders.unreadable;
  return item.subject === null ? t.mailbox.list.noApplicant : clipText(item.subject, ROW_CHARS);
}

/** A "nicht lesbar" delivery's reason in the UI's language, said from its stable kind; null when readable. */
export function unreadableReasonOf(item: MessageListItem, language: UiLanguage): string | null {
  return item.unreadableKind === null ? null : unreadableWords(item.unreadableKind)[language];
}

export function benefitOf(item: MessageListItem): string {
  return clipText(item.benefit.text ?? item.benefit.code ?? '', ROW_CHARS);
}

export function rowName(item: MessageListItem, t: Messages, language: UiLanguage, familyFirst = true): string {
  const parts = [
    item.unread ? t.mailbox.list.unread : undefined,
    item.isTest ? t.mailbox.list.testBanner : undefined,
    // values from the message with their hidden characters as tokens (speech has no reordering to isolate from)
    visibleText(applicantOf(item, t, familyFirst)),
    visibleText(benefitOf(item)) || undefined,
    `${item.eingangKnown ? t.mailbox.list.eingang : t.mailbox.list.eingangUnknown} ${dateTime(item.eingang, language)}`,
    eingangFlagText(item, language) === null ? undefined : (eingangNoticeText(item, language) ?? undefined),
    item.attachmentCount > 0 ? t.mailbox.list.attachments(item.attachmentCount) : undefined,
    t.states[item.state],
    unreadableReasonOf(item, language) ?? (item.signatureStatus === null ? undefined : wordsOf(language).signatureStatus[item.signatureStatus]),
    item.legalHold ? t.mailbox.list.legalHold : undefined,
    item.aktenzeichen === null ? undefined : `${t.habits.row.aktenzeichen} ${visibleText(item.aktenzeichen)}`,
    item.followUpOn === null ? undefined : `${t.habits.row.followUp(dayText(item.followUpOn, language))}${item.followUpOn <= today() ? ` (${t.habits.row.due})` : ''}`,
    claimText(item, language),
  ];
  return parts.filter((p): p is string => p !== undefined && p !== '').join(', ');
}

/** The shared inbox: who works on it, as the row says it ("bei anna", "bei Ihnen"); undefined: nobody. */
export function claimText(item: MessageListItem, language: UiLanguage): string | undefined {
  if (item.claim === undefined || item.claim === null) return undefined;
  const w = inboxWords(language);
  return item.claim.mine ? w.rowMine : w.rowClaimed(item.claim.by);
}

export function MessageRowContent({ item, t, language, familyFirst = true }: { item: MessageListItem; t: Messages; language: UiLanguage; familyFirst?: boolean }) {
  const flag = eingangFlagText(item, language);
  // a search that matched none of the values the row shows matched the content, the note or an id: said so
  const terms = useSearchTerms();
  const matchedElsewhere = terms.length > 0 && ![applicantOf(item, t, familyFirst), benefitOf(item), item.aktenzeichen ?? ''].some((text) => hasMatch(text, terms));
  return (
    <>
      <span className="row__line">
        <span className="row__unread" aria-hidden="true" />
        <span className="row__applicant">
          <Shown text={applicantOf(item, t, familyFirst)} />
        </span>
        {item.isTest ? <span className="badge badge--test">{t.mailbox.list.testBanner}</span> : null}
        {/* the office's file number beside the name, as a case system shows it; it gives way before the name does */}
        {item.aktenzeichen !== null ? (
          <span className="row__az" title={t.habits.row.aktenzeichen}>
            <Shown text={t.habits.caseWork.summaryAz(item.aktenzeichen)} />
          </span>
        ) : null}
        <span className="row__benefit">
          <Shown text={benefitOf(item)} />
        </span>
      </span>
      <span className="row__line row__line--meta">
        {flag === null ? (
          <span className="row__eingang">
            {item.eingangKnown ? t.mailbox.list.eingang : t.mailbox.list.eingangUnknown} {dateTime(item.eingang, language)}
          </span>
        ) : (
          // in place of the Eingang, which cannot be taken as such: the flag and the time of receipt (the row's name says both)
          <span className="row__eingang row__eingang-warning">⚠ {flag}</span>
        )}
        {item.attachmentCount > 0 ? (
          <span className="row__attachments">
            <IconAttachment /> {item.attachmentCount}
          </span>
        ) : null}
        <span className={`row__state row__state--${item.state}`}>{t.states[item.state]}</span>
        {item.followUpOn !== null ? (
          <span className={`row__follow-up${item.followUpOn <= today() ? ' row__follow-up--due' : ''}`} data-testid="row-follow-up">
            ⚑ {dayText(item.followUpOn, language)}
          </span>
        ) : null}
        {item.unreadableKind !== null ? <span className="row__unreadable">{unreadableReasonOf(item, language)}</span> : <SignatureBadge status={item.signatureStatus} />}
        {item.claim !== undefined && item.claim !== null ? (
          <span className={`row__claim${item.claim.mine ? ' row__claim--mine' : ''}`} data-testid="row-claim">
            ● {claimText(item, language)}
          </span>
        ) : null}
        {matchedElsewhere ? <span className="row__matched">{t.habits.row.matchedElsewhere}</span> : null}
      </span>
    </>
  );
}
