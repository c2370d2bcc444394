/**
 * The zoom buttons of the document viewers (PDF, image): smaller, the zoom in per cent (while one is chosen), larger,
 * and the two fits as toggle buttons: "Ganze Breite" (the page as wide as the frame) and, where given, "Ganze Seite"
 * (all of the page in view). The fits are icons with their words as name and tooltip, so the toolbar stays one line
 * in a narrow reading pane and the page keeps the height.
 */
import { Button } from 'react-aria-components';
import { IconMinus, IconPlus } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';

/** A zoom factor, or fitted: "fit" to the frame's width, "page" whole in the frame. */
export type Zoom = number | 'fit' | 'page';

const IconFitWidth = () => (
  <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path d="M3 12h18M3 12l4-4M3 12l4 4M21 12l-4-4M21 12l-4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
  </svg>
);

const IconFitPage = () => (
  <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <rect x="6" y="3" width="12" height="18" rx="1" fill="none" stroke="currentColor" strokeWidth="2" />
    <path d="M9 8h6M9 12h6M9 16h4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
  </svg>
);

export function ZoomControls({
  zoom,
  onZoomOut,
  onZoomIn,
  onFit,
  onFitPage,
}: {
  zoom: Zoom;
  onZoomOut: () => void;
  onZoomIn: () => void;
  onFit: () => void;
  onFitPage?: () => void;
}) {
  const t = useT();
  return (
    <>
      <Button className="button button--icon" onPress={onZoomOut} aria-label={t.message.documents.zoomOut}>
        <IconMinus />
      </Button>
      {typeof zoom === 'number' ? <span className="viewer__zoom">{t.message.documents.zoom(Math.round(zoom * 100))}</span> : null}
      <Button className="button button--icon" onPress={onZoomIn} aria-label={t.message.documents.zoomIn}>
        <IconPlus />
      </Button>
      <Button className="button button--icon" onPress={onFit} aria-pressed={zoom === 'fit'} aria-label={t.message.documents.zoomReset} data-testid="zoom-fit-width">
        <span title={t.message.documents.zoomReset}>
          <IconFitWidth />
        </span>
      </Button>
      {onFitPage === undefined ? null : (
        <Button className="button button--icon" onPress={onFitPage} aria-pressed={zoom === 'page'} aria-label={t.mailbox.space.fitPage} data-testid="zoom-fit-page">
          <span title={t.mailbox.space.fitPage}>
            <IconFitPage />
          </span>
        </Button>
      )}
    </>
  );
}
