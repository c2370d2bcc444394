/** The zoom buttons of the document viewers (PDF, image): smaller, the zoom in per cent (or "Ganze Breite"), larger, back to fit. */
import { Button } from 'react-aria-components';
import { IconMinus, IconPlus } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';

export function ZoomControls({ zoom, onZoomOut, onZoomIn, onFit }: { zoom: number | 'fit'; onZoomOut: () => void; onZoomIn: () => void; onFit: () => void }) {
  const t = useT();
  return (
    <>
      <Button className="button button--icon" onPress={onZoomOut} aria-label={t.message.documents.zoomOut}>
        <IconMinus />
      </Button>
      <span className="viewer__zoom">{zoom === 'fit' ? t.message.documents.zoomReset : t.message.documents.zoom(Math.round(zoom * 100))}</span>
      <Button className="button button--icon" onPress={onZoomIn} aria-label={t.message.documents.zoomIn}>
        <IconPlus />
      </Button>
      <Button className="button button--secondary button--small" onPress={onFit}>
        {t.message.documents.zoomReset}
      </Button>
    </>
  );
}
