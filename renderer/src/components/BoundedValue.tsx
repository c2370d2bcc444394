/**
 * A value from a message, which may be one word of any length (an attack, or a pasted document): at most
 * {@link RENDERED_VALUE_CHARS} characters are laid out; the whole value is one click away ("Ganzen Wert anzeigen")
 * in a read-only text field of its own that scrolls — fetched from the service where the detail brought the value shortened
 * (`fullLength`, core/mailbox/bounded-view.ts). Every part wraps anywhere (theme.css), so no value widens the
 * window, and long runs without a space get break opportunities (Breakable.tsx: Chromium itself lays out a long
 * word very slowly). Hidden characters show as their tokens and the value is isolated (Shown.tsx), in the text
 * field too. The copy buttons beside values always copy the whole value.
 */
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { clipText } from '../../../core/text-bounds.js';
import { useT } from '../i18n/i18n.js';
import { useStatus } from '../shell/status.js';
import { visibleText } from '../../../core/visible-text.js';
import { Shown } from './Shown.js';

/** What one value shows before "Ganzen Wert anzeigen": about ten lines of a card. */
export const RENDERED_VALUE_CHARS = 600;

export interface BoundedValueProps {
  readonly text: string;
  /** The raw length of the whole value where the detail brought it shortened; then `loadFull` fetches it. */
  readonly fullLength?: number | undefined;
  readonly loadFull?: () => Promise<string>;
  /** The value's label, for the name of the whole value's box. */
  readonly label: string;
  readonly className?: string;
}

export function BoundedValue({ text, fullLength, loadFull, label, className }: BoundedValueProps) {
  const t = useT();
  const { reportError } = useStatus();
  const [state, setState] = useState<{ readonly phase: 'short' | 'loading' } | { readonly phase: 'full'; readonly text: string }>({ phase: 'short' });
  const shortened = fullLength !== undefined && loadFull !== undefined;
  if (!shortened && text.length <= RENDERED_VALUE_CHARS) {
    return (
      <span className={className}>
        <Shown text={text} lineBreaks />
      </span>
    );
  }

  const showAll = (): void => {
    if (!shortened) {
      setState({ phase: 'full', text });
      return;
    }
    setState({ phase: 'loading' });
    loadFull().then(
      (full) => setState({ phase: 'full', text: full }),
      (error: unknown) => {
        setState({ phase: 'short' });
        reportError(error);
      },
    );
  };
  if (state.phase === 'full') {
    return (
      <span className={className}>
        {/* a read-only text field: Chromium lays out 200,000 characters there in some 50 ms, as markup it took seconds */}
        <textarea
          className="value__full"
          readOnly
          rows={8}
          value={visibleText(state.text, { lineBreaks: true })}
          aria-label={t.values.fullRegion(label)}
          data-testid="value-full"
        />
        <Button className="button button--link value__toggle" onPress={() => setState({ phase: 'short' })}>
          {t.values.showShort}
        </Button>
      </span>
    );
  }
  return (
    <span className={className}>
      <span data-testid="value-short">
        <Shown text={clipText(text, RENDERED_VALUE_CHARS)} lineBreaks />
      </span>{' '}
      <Button className="button button--link value__toggle" onPress={showAll} isDisabled={state.phase === 'loading'}>
        {state.phase === 'loading' ? t.values.loadingFull : t.values.showAll(fullLength ?? text.length)}
      </Button>
    </span>
  );
}
