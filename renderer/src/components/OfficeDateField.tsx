/**
 * A calendar day entered and shown as the office writes it (TT.MM.JJJJ, de-DE) whatever language the browser or
 * the workstation is set to: a native `<input type="date">` follows the browser's locale (an English Chromium shows
 * 12/05/2026), which a caseworker misreads. React Aria's DateField under a fixed de-DE locale: one segment each for
 * day, month and year, typed or stepped with the arrow keys, labelled for screen readers. The value is the office
 * day "2026-12-05" ('' for none), as the contract and format/days.ts take it — a day, no moment, no zone.
 */
import { parseDate, type CalendarDate } from '@internationalized/date';
import { DateField, DateInput, DateSegment, I18nProvider, Label } from 'react-aria-components';

/** The office's locale for dates (the formatter in core/time writes the same). */
export const OFFICE_DATE_LOCALE = 'de-DE';

function dayOf(value: string): CalendarDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  try {
    return parseDate(value);
  } catch {
    return null;
  }
}

export function OfficeDateField({
  label,
  value,
  onChange,
  min,
  max,
  testId,
  className,
  labelClassName,
}: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  min?: string | undefined;
  max?: string | undefined;
  testId?: string;
  className?: string;
  labelClassName?: string;
}) {
  const minValue = min === undefined ? null : dayOf(min);
  const maxValue = max === undefined ? null : dayOf(max);
  // the wrapper carries the test id and the day held (React Aria's DateField passes no data attributes on)
  return (
    <div className={className === undefined ? 'office-date' : `office-date ${className}`} data-testid={testId} data-value={value}>
      <I18nProvider locale={OFFICE_DATE_LOCALE}>
        <DateField
          className="office-date__field"
          value={dayOf(value)}
          onChange={(day) => onChange(day === null ? '' : day.toString())}
          {...(minValue === null ? {} : { minValue })}
          {...(maxValue === null ? {} : { maxValue })}
          granularity="day"
          shouldForceLeadingZeros
        >
          <Label className={labelClassName ?? 'field__label'}>{label}</Label>
          <DateInput className="input office-date__input">{(segment) => <DateSegment segment={segment} className="office-date__segment" />}</DateInput>
        </DateField>
      </I18nProvider>
    </div>
  );
}
