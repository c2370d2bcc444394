/**
 * A PDF inside the program: one page at a time on a canvas, page navigation (buttons, page number, Bild↑/Bild↓
 * while the viewer has focus) and zoom (buttons, +/−; "Ganze Breite" and "Ganze Seite" fit the pane, and follow it
 * when the window or the splitter changes it), turning by quarters (button, R / Umschalt+R; per document,
 * use-turns.ts). The frame uses the whole reading pane (use-fill-pane.ts); "Ganzes Fenster" shows the viewer over
 * the whole window (Esc leaves); in a document window of its own (desktop) the viewer is the window. The canvas is an image with a
 * text alternative ("Seite 2 des Dokuments"); the document itself can be exported for a screen reader.
 * A page zoomed wider or taller than the frame scrolls inside it (scroll bars, the arrow keys while it has focus,
 * and dragging with the mouse), so no part of it is out of reach.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { Button, Group, Input, Label, NumberField } from 'react-aria-components';
import { IconChevronLeft, IconChevronRight, IconWindow } from '../components/Icons.js';
import { useT } from '../i18n/i18n.js';
import { openPdf, type PdfDocument } from './pdf-engine.js';
import { RotateButton } from './RotateButton.js';
import { turnKey, useTurns } from './use-turns.js';
import { useFillPane } from './use-fill-pane.js';
import { ZoomControls, type Zoom } from './ZoomControls.js';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

export function PdfViewer({
  bytes,
  name,
  actions,
  rotationKey,
  fullWindow = false,
}: {
  bytes: Uint8Array<ArrayBuffer>;
  name: string;
  /** More buttons for the toolbar ("Diese Anlage speichern"). */
  actions?: ReactNode;
  /** The document's key for its turns (use-turns.ts). */
  rotationKey?: string;
  /** The viewer is all its window shows (a document window of its own): no "Ganzes Fenster", the frame fills it. */
  fullWindow?: boolean;
}) {
  const t = useT();
  const [doc, setDoc] = useState<PdfDocument | null>(null);
  const [failed, setFailed] = useState(false);
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [fullChosen, setFull] = useState(false);
  const full = fullWindow || fullChosen;
  /** Quarter turns clockwise on top of the page's own rotation (a scan put in sideways), per document. */
  const [turns, turn] = useTurns(rotationKey);
  const [rendered, setRendered] = useState(0);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  // in a window of its own the frame takes the window's rest by CSS (.viewer--window); chosen full-window is measured
  const size = useFillPane(frame, fullChosen);
  // a fitted page follows the frame (window, splitter); a chosen zoom does not
  const fitSize = zoom === 'fit' || zoom === 'page' ? `${size.width}x${size.height}` : '';

  useEffect(() => {
    let cancelled = false;
    let opened: PdfDocument | null = null;
    setDoc(null);
    setFailed(false);
    setPage(1);
    // pdf.js takes the buffer over; hand it a copy so the caller's bytes stay usable
    openPdf(bytes.slice()).then(
      (d) => {
        if (cancelled) void d.destroy();
        else {
          opened = d;
          setDoc(d);
        }
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      void opened?.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (doc === null || canvas.current === null) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | undefined;
    void (async () => {
      try {
        const pdfPage = await doc.getPage(page);
        if (cancelled || canvas.current === null) return;
        const rotation = (pdfPage.rotate + turns * 90) % 360;
        const base = pdfPage.getViewport({ scale: 1, rotation });
        const width = frame.current?.clientWidth ?? 800;
        const height = frame.current?.clientHeight ?? 800;
        const byWidth = (width - 32) / base.width;
        const scale = zoom === 'fit' ? Math.max(0.25, byWidth) : zoom === 'page' ? Math.max(0.25, Math.min(byWidth, (height - 32) / base.height)) : zoom;
        const ratio = window.devicePixelRatio || 1;
        const viewport = pdfPage.getViewport({ scale: scale * ratio, rotation });
        const target = canvas.current;
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        target.style.width = `${Math.floor(viewport.width / ratio)}px`;
        target.style.height = `${Math.floor(viewport.height / ratio)}px`;
        task = pdfPage.render({ canvas: target, viewport });
        await task.promise;
        if (!cancelled) setRendered((n) => n + 1);
      } catch {
        if (!cancelled) setFailed(true);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, page, zoom, fitSize, turns]);

  const pages = doc?.numPages ?? 0;
  const current = typeof zoom === 'number' ? zoom : 1;
  const zoomBy = (direction: 1 | -1): void => {
    const index = ZOOMS.findIndex((z) => z >= current - 0.001);
    const next = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, (index < 0 ? ZOOMS.length - 1 : index) + direction))] ?? 1;
    setZoom(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'PageDown') setPage((p) => Math.min(pages, p + 1));
    else if (event.key === 'PageUp') setPage((p) => Math.max(1, p - 1));
    else if (event.key === '+' || event.key === '=') zoomBy(1);
    else if (event.key === '-') zoomBy(-1);
    else if (event.key === 'Escape' && fullChosen) setFull(false);
    else if (!turnKey(event, turn)) return;
    event.preventDefault();
  };

  // dragging the page moves it like a sheet of paper under the frame
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    const f = frame.current;
    if (f === null || event.button !== 0 || event.pointerType !== 'mouse') return;
    if (f.scrollWidth <= f.clientWidth && f.scrollHeight <= f.clientHeight) return;
    drag.current = { x: event.clientX, y: event.clientY, left: f.scrollLeft, top: f.scrollTop };
    f.setPointerCapture(event.pointerId);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    const f = frame.current;
    if (d === null || f === null) return;
    f.scrollLeft = d.left - (event.clientX - d.x);
    f.scrollTop = d.top - (event.clientY - d.y);
  };
  const endDrag = (): void => {
    drag.current = null;
  };

  if (failed) return <p className="notice notice--warn">{t.message.documents.renderFailed}</p>;
  return (
    <div
      className={fullWindow ? 'viewer viewer--window' : full ? 'viewer viewer--full' : 'viewer'}
      data-testid="pdf-viewer"
      data-rendered={rendered}
      data-page={page}
      data-pages={pages}
      data-turns={turns}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && fullChosen) {
          setFull(false);
          event.stopPropagation();
        }
      }}
    >
      <Group className="viewer__toolbar" aria-label={t.message.documents.viewerLabel(name)}>
        <Button className="button button--icon" onPress={() => setPage((p) => Math.max(1, p - 1))} isDisabled={page <= 1} aria-label={t.message.documents.previousPage}>
          <IconChevronLeft />
        </Button>
        <NumberField
          className="viewer__page"
          value={page}
          minValue={1}
          maxValue={Math.max(1, pages)}
          onChange={(v) => Number.isFinite(v) && setPage(Math.max(1, Math.min(pages, Math.round(v))))}
          aria-label={t.message.documents.pageNumber}
        >
          <Label className="visually-hidden">{t.message.documents.pageNumber}</Label>
          <Input className="input input--narrow" />
        </NumberField>
        {/* "Seite 2 von 3" said, "/ 3" shown beside the page number: the toolbar stays one line in a narrow pane */}
        <span className="viewer__pages" aria-live="polite">
          <span className="visually-hidden">{t.message.documents.page(page, pages)}</span>
          <span aria-hidden="true">/ {pages}</span>
        </span>
        <Button className="button button--icon" onPress={() => setPage((p) => Math.min(pages, p + 1))} isDisabled={page >= pages} aria-label={t.message.documents.nextPage}>
          <IconChevronRight />
        </Button>
        <span className="viewer__spacer" />
        <ZoomControls zoom={zoom} onZoomOut={() => zoomBy(-1)} onZoomIn={() => zoomBy(1)} onFit={() => setZoom('fit')} onFitPage={() => setZoom('page')} />
        <RotateButton onTurn={() => turn(1)} />
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
        className={typeof zoom === 'number' ? 'viewer__frame viewer__frame--zoomed' : 'viewer__frame'}
        style={size.fill === undefined ? undefined : { height: size.fill }}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        role="group"
        aria-label={t.message.documents.viewerLabel(name)}
        // the keys that work while the page has focus: turning (R, Umschalt+R)
        aria-keyshortcuts="R Shift+R"
        data-testid="pdf-frame"
      >
        <canvas ref={canvas} className="viewer__canvas" role="img" aria-label={t.message.documents.pageImage(page)} />
      </div>
    </div>
  );
}
