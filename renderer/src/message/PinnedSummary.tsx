/**
 * Once the message is scrolled past its header, a compact line pinned to the top of the reading pane keeps saying
 * which application is open (applicant, Eingang). It lies over the content (no space of its own, so nothing moves
 * when it appears) and is hidden from screen readers: the heading says the same.
 */
import { useEffect, useState, type RefObject } from 'react';
import { Shown } from '../components/Shown.js';

export function PinnedSummary({ header, messageId, who, when }: { header: RefObject<HTMLElement | null>; messageId: number; who: string; when: string }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const target = header.current;
    if (target === null || typeof IntersectionObserver === 'undefined') return;
    // the header sits at the top of the message: out of sight means scrolled past (the pane clips it)
    const observer = new IntersectionObserver(([entry]) => setShown(entry !== undefined && !entry.isIntersecting));
    observer.observe(target);
    return () => observer.disconnect();
  }, [header, messageId]);
  return (
    <div className="message__pin" aria-hidden="true">
      <p className={shown ? 'message__pin-bar message__pin-bar--shown' : 'message__pin-bar'} data-testid="message-pinned">
        <Shown text={who} /> · {when}
      </p>
    </div>
  );
}
