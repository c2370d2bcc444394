/**
 * An image document (JPEG, PNG scans) inside the program, with zoom, turning by quarters (button, R / Umschalt+R;
 * per document, use-turns.ts) and "Ganzes Fenster" (Esc leaves) as the PDF viewer has them. Shown from a blob: URL
 * (the CSP allows it for images). A turned image is laid out in a box of its turned size, so "fit" and scrolling
 * see the image as it now stands.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Group } from 'react-aria-components';
import { IconWindow } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';
import { RotateButton } from './RotateButton.js';
import { turnKey, useTurns } from './use-turns.js';
import { useFillPane } from './use-fill-pane.js';
import { ZoomControls } from './ZoomControls.js';

/** The frame's padding on each side (theme.css .viewer__frame: var(--space-3)). */
const FRAME_PADDING = 12;

export function ImageViewer({
  bytes,
  mimeType,
  name,
  actions,
  rotationKey,
  fullWindow = false,
}: {
  bytes: Uint8Array<ArrayBuffer>;
  mimeType: string;
  name: string;
  actions?: ReactNode;
  rotationKey?: string;
  /** The viewer is all its window shows (a document window of its own). */
  fullWindow?: boolean;
}) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [failed, setFailed] = useState(false);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [fullChosen, setFull] = useState(false);
  const full = fullWindow || fullChosen;
  const [turns, turn] = useTurns(rotationKey);
  const frame = useRef<HTMLDivElement>(null);
  // in a window of its own the frame takes the window's rest by CSS (.viewer--window); chosen full-window is measured
  const size = useFillPane(frame, fullChosen);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
    setUrl(objectUrl);
    setFailed(false);
    setNatural(null);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, mimeType]);
  const current = zoom === 'fit' ? 1 : zoom;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === '+' || event.key === '=') setZoom(Math.min(8, current * 1.25));
    else if (event.key === '-') setZoom(Math.max(0.25, current / 1.25));
    else if (event.key === 'Escape' && fullChosen) setFull(false);
    else if (!turnKey(event, turn)) return;
    event.preventDefault();
    event.stopPropagation();
  };

  // a turned image: the box it needs as it now stands, the image rotated about the box's centre
  const sideways = turns % 2 === 1;
  let turned: { box: { width: number; height: number }; image: { width: number; height: number } } | null = null;
  if (turns !== 0 && natural !== null) {
    const standing = sideways ? { width: natural.height, height: natural.width } : natural;
    const room = Math.max(1, (size.width || frame.current?.clientWidth || 800) - 2 * FRAME_PADDING);
    const width = zoom === 'fit' ? Math.min(room, standing.width) : current * room;
    const height = (width * standing.height) / standing.width;
    turned = { box: { width, height }, image: sideways ? { width: height, height: width } : { width, height } };
  }

  if (failed) return <p className="notice notice--warn">{t.message.documents.renderFailed}</p>;
  return (
    <div
      className={fullWindow ? 'viewer viewer--window' : full ? 'viewer viewer--full' : 'viewer'}
      data-testid="image-viewer"
      data-turns={turns}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && fullChosen) {
          setFull(false);
          event.stopPropagation();
        }
      }}
    >
      <Group className="viewer__toolbar" aria-label={t.message.documents.viewerLabel(name)}>
        <ZoomControls zoom={zoom} onZoomOut={() => setZoom(Math.max(0.25, current / 1.25))} onZoomIn={() => setZoom(Math.min(8, current * 1.25))} onFit={() => setZoom('fit')} />
        <RotateButton onTurn={() => turn(1)} label={t.mailbox.space.rotateImage} />
        {fullWindow ? null : (
          <Button
            className="button button--icon"
            onPress={() => setFull((f) => !f)}
            aria-pressed={full}
            aria-label={full ? t.mailbox.space.leaveFullWindow : t.mailbox.space.fullWindow}
            data-testid="viewer-full-window"
          >
            <IconWindow />
          </Button>
        )}
        {actions}
      </Group>
      <div
        ref={frame}
        className="viewer__frame"
        style={size.fill === undefined ? undefined : { height: size.fill }}
        tabIndex={0}
        role="group"
        aria-label={t.message.documents.viewerLabel(name)}
        onKeyDown={onKeyDown}
        // the keys that work while the page has focus: turning (R, Umschalt+R)
        aria-keyshortcuts="R Shift+R"
        data-testid="image-frame"
      >
        {url === null ? null : (
          <div className="viewer__turned" style={turned === null ? undefined : { width: turned.box.width, height: turned.box.height }}>
            <img
              src={url}
              alt={t.message.documents.imageAlt(name)}
              className={turned !== null ? 'viewer__image viewer__image--turned' : zoom === 'fit' ? 'viewer__image viewer__image--fit' : 'viewer__image'}
              style={
                turned !== null
                  ? { width: turned.image.width, height: turned.image.height, transform: `translate(-50%, -50%) rotate(${turns * 90}deg)` }
                  : zoom === 'fit'
                    ? undefined
                    : { width: `${Math.round(current * 100)}%` }
              }
              onLoad={(event) => setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
              onError={() => setFailed(true)}
              data-testid="image"
            />
          </div>
        )}
      </div>
    </div>
  );
}
