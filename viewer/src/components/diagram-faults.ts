/**
 * Faults on the diagram, three ways apart: a period is a translucent shade over its lane
 * (offline, partitioned, crashed, killed, in the background, unavailable); a one-off fault is
 * a solid bar across its lane with a badge (crash and kill dark red, restarts blue); any other
 * fault is a small orange flag naming its kind.
 */
import type { MarkerKind } from '../model/faults.ts';
import type { TraceIndex } from '../model/trace-index.ts';
import { xOf, type Layout } from './diagram-layout.ts';

const PERIOD_COLOURS: Record<string, string> = {
  offline: 'rgba(110,118,129,0.22)',
  partition: 'rgba(240,136,62,0.22)',
  crash: 'rgba(207,34,46,0.22)',
  unavailable: 'rgba(207,34,46,0.18)',
  app: 'rgba(137,87,229,0.14)',
};

/** Opaque, so a marker never reads as a shade. */
export const MARKER_COLOURS: Record<MarkerKind, string> = {
  crash: '#a40e26',
  kill: '#a40e26',
  restart: '#0550ae',
  'server-restart': '#0550ae',
};

const MARKER_GLYPHS: Record<MarkerKind, string> = { crash: '✕', kill: '✕', restart: '↻', 'server-restart': '↻' };

export function drawPeriods(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout): void {
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  for (const p of index.periods) {
    const y = layout.laneY.get(p.lane);
    if (y === undefined || p.endT < layout.window.t0 || p.startT > layout.window.t1) continue;
    const x0 = Math.max(layout.gutter, xOf(layout, p.startT));
    const x1 = Math.min(layout.width, xOf(layout, p.endT));
    const top = y - layout.laneHeight / 2;
    ctx.fillStyle = PERIOD_COLOURS[p.kind] ?? 'rgba(110,118,129,0.15)';
    ctx.fillRect(x0, top + 1, Math.max(1, x1 - x0), layout.laneHeight - 2);
    // At the bottom of the lane: markers and fault flags label the top.
    if (x1 - x0 > 50) {
      ctx.fillStyle = '#57606a';
      ctx.fillText(p.label, x0 + 3, top + layout.laneHeight - 3);
    }
  }
  if (index.finalHealT !== undefined && index.finalHealT >= layout.window.t0 && index.finalHealT <= layout.window.t1) {
    const x = xOf(layout, index.finalHealT);
    ctx.strokeStyle = '#1a7f37';
    dashedAcross(ctx, layout, x, [4, 3]);
    ctx.fillStyle = '#1a7f37';
    ctx.textBaseline = 'top';
    ctx.fillText('final heal', x + 3, layout.axis + 2);
  }
}

/** One-off faults: a bar the height of the lane, a round badge with a glyph, and a label. */
export function drawMarkers(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout): void {
  ctx.font = 'bold 10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  for (const m of index.markers) {
    const y = layout.laneY.get(m.lane);
    if (y === undefined || m.t < layout.window.t0 || m.t > layout.window.t1) continue;
    const x = Math.round(xOf(layout, m.t));
    const top = y - layout.laneHeight / 2 + 2;
    ctx.fillStyle = MARKER_COLOURS[m.kind];
    ctx.fillRect(x - 1, top, 3, layout.laneHeight - 4);
    ctx.beginPath();
    ctx.arc(x + 0.5, top + 8, 7, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.fillText(MARKER_GLYPHS[m.kind], x + 0.5, top + 8.5);
    ctx.fillStyle = MARKER_COLOURS[m.kind];
    ctx.textAlign = 'left';
    ctx.fillText(m.label, x + 10, top + 8);
    ctx.textAlign = 'center';
  }
  ctx.textAlign = 'left';
}

/** Any other fault: a small flag on its lane (or a dotted line across all lanes) naming its kind. */
export function drawFault(ctx: CanvasRenderingContext2D, layout: Layout, x: number, y: number, kind: string, everyLane: boolean): void {
  ctx.fillStyle = '#bc4c00';
  ctx.strokeStyle = 'rgba(188,76,0,0.5)';
  if (everyLane) dashedAcross(ctx, layout, x, [2, 3]);
  const top = everyLane ? layout.axis + 2 : y - layout.laneHeight / 2 + 2;
  ctx.beginPath();
  ctx.moveTo(x - 4, top);
  ctx.lineTo(x + 4, top);
  ctx.lineTo(x, top + 7);
  ctx.closePath();
  ctx.fill();
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(kind, x + 5, top);
}


/** A dashed vertical line across every lane at x. */
function dashedAcross(ctx: CanvasRenderingContext2D, layout: Layout, x: number, dash: number[]): void {
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(x + 0.5, layout.axis);
  ctx.lineTo(x + 0.5, layout.height);
  ctx.stroke();
  ctx.setLineDash([]);
}
