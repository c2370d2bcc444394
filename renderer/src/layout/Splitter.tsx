/**
 * A vertical splitter between two panes (the message list and the reading pane), after the ARIA "window splitter"
 * pattern: a focusable separator whose value is the width of the pane before it in pixels. Mouse: drag (a double
 * click goes back to the default width). Keyboard: ←/→ by 16 px (with Umschalt by 64 px), Pos1/Ende to the
 * narrowest/widest, Enter back to the default. The width is measured from the pane itself, so the value stays true
 * when the window (and with it the room) changes.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  /** The id of the pane whose width this splitter sets (aria-controls). */
  readonly controls: string;
  readonly label: string;
  readonly min: number;
  /** The widest the pane may be now (the room left for the other panes). */
  readonly max: () => number;
  /** A new width in pixels, or null: the default. */
  readonly onChange: (width: number | null) => void;
}

const STEP = 16;
const BIG_STEP = 64;

export function Splitter({ controls, label, min, max, onChange }: SplitterProps) {
  const [width, setWidth] = useState<number | undefined>(undefined);
  const [widest, setWidest] = useState<number>(min);
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  // the value is what the pane really measures (after CSS clamped it to the room there is)
  useEffect(() => {
    const pane = document.getElementById(controls);
    if (pane === null) return;
    const observer = new ResizeObserver(() => {
      setWidth(Math.round(pane.getBoundingClientRect().width));
      setWidest(Math.max(min, Math.round(max())));
    });
    observer.observe(pane);
    return () => observer.disconnect();
  }, [controls, min, max]);

  const current = (): number => Math.round(document.getElementById(controls)?.getBoundingClientRect().width ?? width ?? min);
  const set = (next: number): void => {
    const clamped = Math.round(Math.max(min, Math.min(max(), next)));
    setWidth(clamped);
    onChange(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    switch (event.key) {
      case 'ArrowLeft':
        set(current() - step);
        break;
      case 'ArrowRight':
        set(current() + step);
        break;
      case 'Home':
        set(min);
        break;
      case 'End':
        set(max());
        break;
      case 'Enter':
        onChange(null);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: current() };
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (drag.current === null) return;
    set(drag.current.startWidth + event.clientX - drag.current.startX);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>): void => {
    drag.current = null;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={width ?? min}
      aria-valuemin={min}
      aria-valuemax={widest}
      tabIndex={0}
      className="splitter"
      data-testid="list-splitter"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => onChange(null)}
    />
  );
}
