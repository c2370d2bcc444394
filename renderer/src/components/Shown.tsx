/**
 * A value that came from a message (a name, a file name, a subject, a field): isolated from the text around it
 * (<bdi>, so a right-to-left name cannot reorder the program's own words beside it), and every invisible or
 * direction-changing character shown as its token "⟨U+202E⟩", marked so it stands out — the same tokens as in the
 * PDF, the CLI and the exported file names (core/visible-text.ts).
 */
import { visibleSegments } from '../../../core/visible-text.js';
import { Breakable } from './Breakable.js';
import { useT } from '../i18n/i18n.js';

/** A token already written into a text by the program (an export file name made by core/export/file-names.ts). */
const TOKEN = /(⟨U\+[0-9A-F]{4,6}⟩)/;

/**
 * `tokens`: the text is the program's own rendering (an export file name), in which hidden characters already
 * stand as tokens; they are marked the same way.
 */
export function Shown({ text, lineBreaks = false, tokens = false, className }: { text: string; lineBreaks?: boolean; tokens?: boolean; className?: string }) {
  const t = useT();
  const segments = visibleSegments(text, { lineBreaks }).flatMap((segment) =>
    tokens && segment.hidden === undefined
      ? segment.text
          .split(TOKEN)
          .filter((part) => part !== '')
          .map((part) => (TOKEN.test(part) ? { text: part, hidden: part } : { text: part }))
      : [segment],
  );
  return (
    <bdi className={className === undefined ? 'shown' : `shown ${className}`}>
      {segments.map((segment, i) =>
        segment.hidden === undefined ? (
          // a long run without a space gets break opportunities (Breakable.tsx: Chromium lays it out slowly otherwise)
          <Breakable key={i} text={segment.text} />
        ) : (
          <span key={i} className="shown__hidden" title={t.common.hiddenChar(segment.text.slice(1, -1))} data-hidden-char={segment.text}>
            {segment.text}
          </span>
        ),
      )}
    </bdi>
  );
}
