import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TaskSelection } from '../model/task-selection.ts';
import { describeSeq } from '../model/describe.ts';
import { describeAction } from '../model/history.ts';
import type { TraceIndex } from '../model/trace-index.ts';
import { drawBase, drawOverlay, pickEvent } from './diagram-draw.ts';
import { pickAction } from './diagram-history.ts';
import { makeLayout, tOf, type TimeWindow } from './diagram-layout.ts';

interface Props {
  index: TraceIndex;
  seq: number;
  highlight: readonly number[];
  /** The picked task's events and messages; the others are not drawn. */
  selection: TaskSelection | undefined;
  hidden: ReadonlySet<string>;
  window: TimeWindow;
  onWindow: (window: TimeWindow) => void;
  onPick: (seq: number) => void;
  /** Called after the first complete draw (for load timing). */
  onDrawn?: () => void;
}

const MIN_SPAN_MS = 2;

/** Two stacked canvases: the base (redrawn on zoom, pan, filter) and the playhead overlay (redrawn on every step). */
export function Diagram({ index, seq, highlight, selection, hidden, window: view, onWindow, onPick, onDrawn }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const drag = useRef<{ x: number; window: TimeWindow; moved: boolean } | null>(null);
  const drawnOnce = useRef(false);

  const visibleLanes = index.lanes.filter((l) => !hidden.has(l)).length;
  const height = Math.max(200, Math.min(520, 36 + visibleLanes * 64));

  useLayoutEffect(() => {
    const element = box.current!;
    // The observer also reports the first size: keeping the same object then spares a second full draw.
    const measure = () => setSize((s) => (s.width === element.clientWidth && s.height === height ? s : { width: element.clientWidth, height }));
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => observer.disconnect();
  }, [height]);

  const layout = useMemo(() => makeLayout(index, size.width, size.height, view, hidden), [index, size, view, hidden]);

  useEffect(() => {
    if (size.width === 0) return;
    const started = performance.now();
    const ctx = prepare(base.current!, size.width, size.height);
    drawBase(ctx, index, layout, { selection, hidden });
    document.body.dataset.drawMs = String(Math.round(performance.now() - started));
    if (!drawnOnce.current) {
      drawnOnce.current = true;
      onDrawn?.();
    }
  }, [index, layout, selection, hidden, size, onDrawn]);

  useEffect(() => {
    if (size.width === 0) return;
    const ctx = prepare(overlay.current!, size.width, size.height);
    drawOverlay(ctx, index, layout, seq, highlight);
  }, [index, layout, seq, highlight, size]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = overlay.current!;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const anchor = tOf(layout, event.clientX - rect.left);
      const factor = Math.exp(event.deltaY * 0.0015);
      const full = Math.max(MIN_SPAN_MS, index.endT - index.startT);
      const span = Math.min(full * 1.05, Math.max(MIN_SPAN_MS, (view.t1 - view.t0) * factor));
      const ratio = (anchor - view.t0) / (view.t1 - view.t0);
      onWindow({ t0: anchor - ratio * span, t1: anchor - ratio * span + span });
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [layout, view, index, onWindow]);

  const local = (event: React.PointerEvent) => {
    const rect = overlay.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  return (
    <div className="diagram" ref={box} style={{ height }} data-testid="diagram">
      <canvas ref={base} className="diagram-base" />
      <canvas
        ref={overlay}
        className="diagram-overlay"
        aria-label="space-time diagram"
        onPointerDown={(event) => {
          overlay.current!.setPointerCapture(event.pointerId);
          drag.current = { x: event.clientX, window: view, moved: false };
        }}
        onPointerMove={(event) => {
          const d = drag.current;
          if (d) {
            const dx = event.clientX - d.x;
            if (Math.abs(dx) > 3) d.moved = true;
            if (d.moved) {
              const msPerPx = (d.window.t1 - d.window.t0) / Math.max(1, layout.width - layout.gutter);
              onWindow({ t0: d.window.t0 - dx * msPerPx, t1: d.window.t1 - dx * msPerPx });
            }
            return;
          }
          const { x, y } = local(event);
          const picked = pickEvent(index, layout, x, y);
          if (picked !== undefined) return setHover({ x, y, text: `#${picked} t=${index.times[picked]}ms ${describeSeq(index, picked)}` });
          // Between its ends, a user's write is its bar.
          const action = pickAction(index, layout, { selection, hidden }, x, y);
          setHover(action ? { x, y, text: `#${action.invokeSeq} t=${action.invokeT}ms ${describeAction(action)}` } : null);
        }}
        onPointerUp={(event) => {
          const d = drag.current;
          drag.current = null;
          if (d && !d.moved) {
            const { x, y } = local(event);
            const picked = pickEvent(index, layout, x, y) ?? pickAction(index, layout, { selection, hidden }, x, y)?.invokeSeq;
            if (picked !== undefined) onPick(picked);
          }
        }}
        onPointerLeave={() => setHover(null)}
      />
      {hover && (
        <div className="tooltip" style={{ left: Math.min(hover.x + 12, size.width - 320), top: hover.y + 12 }}>
          {hover.text}
        </div>
      )}
    </div>
  );
}

function prepare(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
