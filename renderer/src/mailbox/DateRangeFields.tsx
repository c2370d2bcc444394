/**
 * The period "von – bis": two days of the office, both inclusive, beside the quick periods (heute, 7 / 30 Tage,
 * Jahr). Native date fields (keyboard-operable, labelled, the browser's own calendar). The range becomes
 * [start of "von", start of the day after "bis") in the office time zone (format/days.ts), so a day is the office's
 * day whatever zone the workstation is set to and a DST day counts 23 or 25 hours. A "bis" before "von" is said
 * and not applied.
 */
import { useId } from 'react';
import { useT } from '../i18n/i18n.js';
import { isDay } from '../format/days.js';

export function DateRangeFields({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const t = useT();
  const id = useId();
  const reversed = isDay(from) && isDay(to) && to < from;
  return (
    <div className="date-range" data-testid="date-range">
      <label className="field__label" htmlFor={`${id}-from`}>
        {t.habits.range.from}
      </label>
      <input
        id={`${id}-from`}
        className="input date-range__input"
        type="date"
        value={from}
        max={isDay(to) ? to : undefined}
        onChange={(e) => onChange(e.target.value, to)}
        data-testid="range-from"
      />
      <label className="field__label" htmlFor={`${id}-to`}>
        {t.habits.range.to}
      </label>
      <input
        id={`${id}-to`}
        className="input date-range__input"
        type="date"
        value={to}
        min={isDay(from) ? from : undefined}
        onChange={(e) => onChange(from, e.target.value)}
        data-testid="range-to"
      />
      {reversed ? (
        <p className="field__error" role="alert">
          {t.habits.range.reversed}
        </p>
      ) : null}
    </div>
  );
}
