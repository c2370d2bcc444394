/** An image document (JPEG, PNG scans) inside the program, with zoom. Shown from a blob: URL (the CSP allows it for images). */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Group } from 'react-aria-components';
import { useT } from '../i18n/i18n.js';
import { useFillPane } from './use-fill-pane.js';
import { ZoomControls } from './ZoomControls.js';

export function ImageViewer({ bytes, mimeType, name, actions }: { bytes: Uint8Array<ArrayBuffer>; mimeType: string; name: string; actions?: ReactNode }) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [failed, setFailed] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const { fill } = useFillPane(frame, false);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
    setUrl(objectUrl);
    setFailed(false);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, mimeType]);
  const current = zoom === 'fit' ? 1 : zoom;
  if (failed) return <p className="notice notice--warn">{t.message.documents.renderFailed}</p>;
  return (
    <div className="viewer" data-testid="image-viewer">
      <Group className="viewer__toolbar" aria-label={t.message.documents.viewerLabel(name)}>
        <ZoomControls zoom={zoom} onZoomOut={() => setZoom(Math.max(0.25, current / 1.25))} onZoomIn={() => setZoom(Math.min(8, current * 1.25))} onFit={() => setZoom('fit')} />
        {actions}
      </Group>
      <div ref={frame} className="viewer__frame" style={fill === undefined ? undefined : { height: fill }} tabIndex={0} role="group" aria-label={t.message.documents.viewerLabel(name)}>
        {url === null ? null : (
          <img
            src={url}
            alt={t.message.documents.imageAlt(name)}
            className={zoom === 'fit' ? 'viewer__image viewer__image--fit' : 'viewer__image'}
            style={zoom === 'fit' ? undefined : { width: `${Math.round(current * 100)}%` }}
            onError={() => setFailed(true)}
          />
        )}
      </div>
    </div>
  );
}
