/**
 * The period "von – bis": two days of the office, both inclusive, beside the quick periods (heute, 7 / 30 Tage,
 * Jahr). Date fields in the office's writing TT.MM.JJJJ whatever the browser's language (components/OfficeDateField.tsx). The range becomes
 * [start of "von", start of the day after "bis") in the office time zone (format/days.ts), so a day is the office's
 * day whatever zone the workstation is set to and a DST day counts 23 or 25 hours. A "bis" before "von" is said
 * and not applied.
 */
import { OfficeDateField } from '../components/OfficeDateField.js';
import { useT } from '../i18n/i18n.js';
import { isDay } from '../format/days.js';

export function DateRangeFields({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const t = useT();
  const reversed = isDay(from) && isDay(to) && to < from;
  return (
    <div className="date-range" data-testid="date-range">
      <OfficeDateField
        label={t.habits.range.from}
        value={from}
        max={isDay(to) ? to : undefined}
        onChange={(day) => onChange(day, to)}
        testId="range-from"
        className="date-range__field"
      />
      <OfficeDateField
        label={t.habits.range.to}
        value={to}
        min={isDay(from) ? from : undefined}
        onChange={(day) => onChange(from, day)}
        testId="range-to"
        className="date-range__field"
      />
      {reversed ? (
        <p className="field__error" role="alert">
          {t.habits.range.reversed}
        </p>
      ) : null}
    </div>
  );
}
