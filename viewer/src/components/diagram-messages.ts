/**
 * Messages on the diagram, from their send on one lane to their delivery on another (a drop
 * stops two thirds of the way, under a cross). Zoomed in, each gets its arrow head, a ring
 * for a copy and a label for a drop; zoomed out, thousands share their pixels, so each
 * distinct line is stroked once and the details are left out.
 */
import { firstIndex, type MessageSpan, type TraceIndex } from '../model/trace-index.ts';
import type { DrawFilter } from './diagram-draw.ts';
import { xOf, type Layout } from './diagram-layout.ts';

/** Message styles by number (they index the paths of one draw): request, reply 2xx, 4xx, 5xx, drop, copy. */
const STYLE = { request: 0, ok: 1, client: 2, error: 3, drop: 4, dup: 5 } as const;
type Style = (typeof STYLE)[keyof typeof STYLE];
const STYLE_COLOURS = ['rgba(84,110,160,0.75)', 'rgba(46,158,91,0.8)', 'rgba(224,138,0,0.9)', 'rgba(207,34,46,0.9)', 'rgba(207,34,46,0.9)', 'rgba(137,87,229,0.85)'];

/** From this many visible messages on, the diagram draws them without details. */
const DENSE = 3000;

function styleOf(m: MessageSpan): Style {
  if (m.end === 'drop') return STYLE.drop;
  if (m.dup) return STYLE.dup;
  if (!m.reply) return STYLE.request;
  const status = m.status ?? 200;
  if (status >= 500) return STYLE.error;
  if (status >= 400) return STYLE.client;
  return STYLE.ok;
}

export function drawMessages(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  const visible = visibleMessages(index, layout, filter);
  const paths = STYLE_COLOURS.map(() => new Path2D());
  const crosses = new Path2D();
  const dense = visible.length >= DENSE;
  const drawn = new Set<number>();
  for (const m of visible) {
    const style = styleOf(m);
    const y0 = layout.laneYs[m.fromLane]!;
    const y1 = endY(layout, m, y0);
    const x0 = xOf(layout, m.sendT);
    const x1 = xOf(layout, m.endT);
    if (dense) {
      // Lines whose rounded ends (and lanes and style) match look the same: stroke one.
      const key = ((((clampX(x0) * 16384 + clampX(x1)) * 64 + m.fromLane + 1) * 64 + m.toLane + 1) * 8) + style;
      if (drawn.has(key)) continue;
      drawn.add(key);
    }
    paths[style]!.moveTo(x0, y0);
    paths[style]!.lineTo(x1, y1);
    if (m.end === 'drop') addCross(crosses, x1, y1, 5);
  }
  ctx.lineWidth = 1;
  paths.forEach((path, style) => {
    ctx.strokeStyle = STYLE_COLOURS[style]!;
    ctx.setLineDash(style === STYLE.dup ? [4, 3] : []);
    ctx.stroke(path);
  });
  ctx.setLineDash([]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = STYLE_COLOURS[STYLE.drop]!;
  ctx.stroke(crosses);
  ctx.lineWidth = 1;
  if (!dense) drawDetails(ctx, layout, visible);
}

/** The messages crossing the window on visible lanes (and concerning the picked task, if any). */
function visibleMessages(index: TraceIndex, layout: Layout, filter: DrawFilter): MessageSpan[] {
  const { t0, t1 } = layout.window;
  const { messages } = index;
  const visible: MessageSpan[] = [];
  // Messages are sorted by send time; any that crosses t0 was sent at most maxFlightMs before it.
  const from = t0 - index.maxFlightMs;
  for (let i = firstIndex(messages.length, (j) => messages[j]!.sendT < from); i < messages.length && messages[i]!.sendT <= t1; i++) {
    const m = messages[i]!;
    if (m.endT < t0 || layout.laneYs[m.fromLane] === undefined || layout.laneYs[m.toLane] === undefined) continue;
    if (filter.selection && !filter.selection.messages.has(m)) continue;
    visible.push(m);
  }
  return visible;
}

/** Arrow heads, rings on copies, and why each drop happened. */
function drawDetails(ctx: CanvasRenderingContext2D, layout: Layout, visible: readonly MessageSpan[]): void {
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  for (const m of visible) {
    const [x0, y0, x1, y1] = messageEnds(layout, m);
    const colour = STYLE_COLOURS[styleOf(m)]!;
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    if (m.end === 'deliver') drawArrowHead(ctx, x0, y0, x1, y1);
    if (m.end === 'drop') ctx.fillText(m.reason ?? 'dropped', x1 + 6, y1 - 2);
    if (m.dup) {
      ctx.beginPath();
      ctx.arc(x0, y0, 4, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}

const clampX = (x: number) => Math.max(0, Math.min(16383, Math.round(x) + 4096));

/** A delivered message ends on its destination lane; a dropped one stops two thirds of the way. */
function endY(layout: Layout, m: MessageSpan, y0: number): number {
  const yTo = layout.laneYs[m.toLane]!;
  return m.end === 'drop' ? y0 + (yTo - y0) * 0.66 : yTo;
}

function messageEnds(layout: Layout, m: MessageSpan): [number, number, number, number] {
  const y0 = layout.laneYs[m.fromLane]!;
  return [xOf(layout, m.sendT), y0, xOf(layout, m.endT), endY(layout, m, y0)];
}

function addCross(path: Path2D, x: number, y: number, r: number): void {
  path.moveTo(x - r, y - r);
  path.lineTo(x + r, y + r);
  path.moveTo(x + r, y - r);
  path.lineTo(x - r, y + r);
}

function drawArrowHead(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 7 * Math.cos(angle - 0.4), y1 - 7 * Math.sin(angle - 0.4));
  ctx.lineTo(x1 - 7 * Math.cos(angle + 0.4), y1 - 7 * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
}
