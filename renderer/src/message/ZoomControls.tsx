/**
 * The zoom buttons of the document viewers (PDF, image): smaller, the zoom in per cent (or the fit), larger, and the
 * two fits: "Ganze Breite" (the page as wide as the frame) and, where given, "Ganze Seite" (all of the page in view).
 */
import { Button } from 'react-aria-components';
import { IconMinus, IconPlus } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';

/** A zoom factor, or fitted: "fit" to the frame's width, "page" whole in the frame. */
export type Zoom = number | 'fit' | 'page';

export function ZoomControls({ zoom, onZoomOut, onZoomIn, onFit, onFitPage }: { zoom: Zoom; onZoomOut: () => void; onZoomIn: () => void; onFit: () => void; onFitPage?: () => void }) {
  const t = useT();
  return (
    <>
      <Button className="button button--icon" onPress={onZoomOut} aria-label={t.message.documents.zoomOut}>
        <IconMinus />
      </Button>
      <span className="viewer__zoom">{zoom === 'fit' ? t.message.documents.zoomReset : zoom === 'page' ? t.mailbox.space.fitPage : t.message.documents.zoom(Math.round(zoom * 100))}</span>
      <Button className="button button--icon" onPress={onZoomIn} aria-label={t.message.documents.zoomIn}>
        <IconPlus />
      </Button>
      <Button className="button button--secondary button--small" onPress={onFit} aria-pressed={zoom === 'fit'} data-testid="zoom-fit-width">
        {t.message.documents.zoomReset}
      </Button>
      {onFitPage === undefined ? null : (
        <Button className="button button--secondary button--small" onPress={onFitPage} aria-pressed={zoom === 'page'} data-testid="zoom-fit-page">
          {t.mailbox.space.fitPage}
        </Button>
      )}
    </>
  );
}
