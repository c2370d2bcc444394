/**
 * "Bearbeitung" in the reading pane: the office's Aktenzeichen, a note and a Wiedervorlage day for the application
 * (contract/case-work.ts). Collapsed it is one line of what is noted; "Bearbeiten" opens a small form (Escape
 * discards, "Speichern" stores). Each change is audited by the store; the list row shows the Aktenzeichen and the
 * Wiedervorlage at once (the answer's item patches it). The values are the caseworker's own, shown through Shown
 * like any other value (hidden characters as tokens, search matches marked).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Button, Input, Label, TextArea, TextField } from 'react-aria-components';
import type { CaseWorkDto } from '../../../core/api/contract/case-work.js';
import { AKTENZEICHEN_MAX, NOTE_MAX } from '../../../core/api/contract/case-work-limits.js';
import { clipText } from '../../../core/text-bounds.js';
import { useApi } from '../api/api-context.js';
import { OfficeDateField } from '../components/OfficeDateField.js';
import { Shown } from '../components/Shown.js';
import { dayText, isDay, today } from '../format/days.js';
import { useLanguage } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import type { ListItem } from './types.js';

/** Characters of the note in the collapsed line (the whole note in the form). */
const NOTE_PREVIEW = 300;

export function CaseWorkPanel({
  open: editing,
  onOpenChange: setEditing,
  id,
  caseWork,
  onSaved,
  onBeforeChange,
}: {
  /** The form is open (the ⋯ menu's "eintragen …", or "Bearbeiten" here). */
  open: boolean;
  onOpenChange: (open: boolean) => void;
  id: number;
  caseWork: CaseWorkDto;
  onSaved: (item: ListItem, caseWork: CaseWorkDto) => void;
  onBeforeChange?: (id: number) => void;
}) {
  const api = useApi();
  const { t, language } = useLanguage();
  const { announce, reportError } = useStatus();
  const headingId = useId();
  const [aktenzeichen, setAktenzeichen] = useState(caseWork.aktenzeichen ?? '');
  const [note, setNote] = useState(caseWork.note ?? '');
  const [followUpOn, setFollowUpOn] = useState(caseWork.followUpOn ?? '');
  const [saving, setSaving] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const t2 = t.habits.caseWork;

  // another message, or the values changed elsewhere: the form starts from what is stored
  useEffect(() => {
    setAktenzeichen(caseWork.aktenzeichen ?? '');
    setNote(caseWork.note ?? '');
    setFollowUpOn(caseWork.followUpOn ?? '');
  }, [id, caseWork]);
  // another message: its own form starts closed
  useEffect(() => {
    setEditing(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the message changes
  }, [id]);
  // into the form when it opens; back to "Bearbeiten" when it closes (after the render that shows the button again)
  const returnFocus = useRef(false);
  useEffect(() => {
    if (editing) first.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  const azTooLong = aktenzeichen.trim().length > AKTENZEICHEN_MAX;
  const azLines = /[\r\n]/.test(aktenzeichen);
  const noteTooLong = note.trim().length > NOTE_MAX;
  const dayInvalid = followUpOn !== '' && !isDay(followUpOn);
  const valid = !azTooLong && !azLines && !noteTooLong && !dayInvalid;

  const close = (): void => {
    returnFocus.current = true;
    setEditing(false);
  };
  const discard = (): void => {
    setAktenzeichen(caseWork.aktenzeichen ?? '');
    setNote(caseWork.note ?? '');
    setFollowUpOn(caseWork.followUpOn ?? '');
    close();
  };
  const save = async (): Promise<void> => {
    if (!valid || saving) return;
    setSaving(true);
    onBeforeChange?.(id);
    try {
      const answer = await api.call('messages.setCaseWork', { id, change: { aktenzeichen, note, followUpOn: followUpOn === '' ? null : followUpOn } });
      onSaved(answer.item, answer.caseWork);
      announce(t2.saved);
      close();
    } catch (e) {
      reportError(e);
    } finally {
      setSaving(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      discard();
    }
  };

  const noted = caseWork.aktenzeichen !== null || caseWork.note !== null || caseWork.followUpOn !== null;
  const due = caseWork.followUpOn !== null && caseWork.followUpOn <= today();
  // nothing noted and no form open: no line at all (the ⋯ menu opens the form; the pane's height is the application's)
  if (!editing && !noted) return null;
  return (
    // compact while nothing is being edited: a line or two (the reading pane's height belongs to the application)
    <section className={`case-work${editing ? '' : ' case-work--noted'}`} aria-labelledby={headingId} data-testid="case-work">
      <div className="case-work__head">
        <h3 id={headingId} className={editing ? 'case-work__heading' : 'visually-hidden'}>
          {t2.heading}
        </h3>
      </div>
      {!editing ? (
        noted ? (
          <div className="case-work__summary" data-testid="case-work-summary">
            {caseWork.aktenzeichen !== null ? (
              <span className="case-work__az">
                <Shown text={t2.summaryAz(caseWork.aktenzeichen)} />
              </span>
            ) : null}
            {caseWork.followUpOn !== null ? (
              <span className={`case-work__follow-up${due ? ' case-work__follow-up--due' : ''}`} title={t2.summaryFollowUp(dayText(caseWork.followUpOn, language))}>
                {/* the flag says "Wiedervorlage" as in a mail program; the word is read out and in the tooltip */}⚑ <span className="visually-hidden">{t2.followUp} </span>
                {dayText(caseWork.followUpOn, language)}
                {due ? ` (${t.habits.row.due})` : ''}
              </span>
            ) : null}
            <Button ref={editButton} className="button button--secondary button--small case-work__edit" onPress={() => setEditing(true)} data-testid="case-work-edit">
              {t2.edit}
            </Button>
            {caseWork.note !== null ? (
              <p className="case-work__note">
                <span className="visually-hidden">{t2.summaryNote}: </span>
                <Shown text={clipText(caseWork.note, NOTE_PREVIEW)} lineBreaks />
              </p>
            ) : null}
          </div>
        ) : null
      ) : (
        <form
          className="case-work__form"
          onKeyDown={onKeyDown}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          data-testid="case-work-form"
        >
          <TextField className="field" value={aktenzeichen} onChange={setAktenzeichen} isInvalid={azTooLong || azLines}>
            <Label className="field__label">{t2.aktenzeichen}</Label>
            <Input ref={first} className="input" maxLength={AKTENZEICHEN_MAX} autoComplete="off" data-testid="case-work-az" />
            {azTooLong ? <span className="field__error">{t2.tooLong(AKTENZEICHEN_MAX)}</span> : azLines ? <span className="field__error">{t2.oneLine}</span> : null}
          </TextField>
          <TextField className="field" value={note} onChange={setNote} isInvalid={noteTooLong}>
            <Label className="field__label">{t2.note}</Label>
            <TextArea className="input case-work__textarea" rows={3} maxLength={NOTE_MAX} data-testid="case-work-note" />
            {noteTooLong ? <span className="field__error">{t2.tooLong(NOTE_MAX)}</span> : null}
          </TextField>
          <div className="field">
            <div className="case-work__day">
              <OfficeDateField label={t2.followUp} value={followUpOn} onChange={setFollowUpOn} testId="case-work-day" />
              {followUpOn !== '' ? (
                <Button className="button button--link" onPress={() => setFollowUpOn('')} data-testid="case-work-day-clear">
                  {t2.followUpClear}
                </Button>
              ) : null}
            </div>
          </div>
          <p className="field__description">{t2.audited}</p>
          <div className="case-work__actions">
            <Button type="submit" className="button" isDisabled={!valid || saving} data-testid="case-work-save">
              {t2.save}
            </Button>
            <Button className="button button--secondary" onPress={discard}>
              {t2.cancel}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
