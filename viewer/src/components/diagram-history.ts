/**
 * The users' history on the diagram, apart from the engine's events, messages and faults: a
 * user's write is a thick bar above its device's lane from invoke to ok (teal, ticks at both
 * ends; red with a cross when it failed; grey and dashed while unanswered), its invoke end
 * dotted in the write kind's colour; a read is a teal diamond below the lane (drawn with the
 * other glyphs); an engine error is a red warning triangle with its call.
 */
import type { UserAction } from '../model/history.ts';
import type { TraceIndex } from '../model/trace-index.ts';
import { firstIndex } from '../model/trace-index.ts';
import type { DrawFilter } from './diagram-draw.ts';
import { tOf, userOffset, xOf, type Layout } from './diagram-layout.ts';

export const ACTION_COLOURS = { ok: '#1b7c83', fail: '#cf222e', open: '#8c959f' } as const;
export const READ_COLOUR = '#1b7c83';
export const ENGINE_ERROR_COLOUR = '#d1242f';
const KIND_COLOURS: Record<string, string> = { create: '#1f6feb', update: '#8957e5', delete: '#bc4c00' };
const ENDS = ['ok', 'fail', 'open'] as const;

/** From this many visible actions on, bars that share their pixels are drawn once, without ticks. */
const DENSE = 3000;

/** The actions crossing the window on visible lanes (and of the picked task, if any). */
export function visibleActions(index: TraceIndex, layout: Layout, filter: DrawFilter | undefined, t0 = layout.window.t0, t1 = layout.window.t1): UserAction[] {
  const { actions } = index;
  const from = t0 - index.maxActionMs;
  const visible: UserAction[] = [];
  for (let i = firstIndex(actions.length, (j) => actions[j]!.invokeT < from); i < actions.length && actions[i]!.invokeT <= t1; i++) {
    const a = actions[i]!;
    if (a.endT < t0 || a.lane < 0 || layout.laneYs[a.lane] === undefined) continue;
    if (filter?.selection && filter.selection.task !== a.task) continue;
    visible.push(a);
  }
  return visible;
}

export function drawActions(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  const visible = visibleActions(index, layout, filter);
  if (visible.length === 0) return;
  const dense = visible.length >= DENSE;
  const bars = { ok: new Path2D(), fail: new Path2D(), open: new Path2D() };
  const ticks = new Path2D();
  const crosses = new Path2D();
  const kinds = new Map<string, Path2D>();
  const drawn = new Set<number>();
  const dy = userOffset(layout);
  for (const a of visible) {
    const y = layout.laneYs[a.lane]! - dy;
    const x0 = xOf(layout, a.invokeT);
    // A write that returned at once still shows as a short bar.
    const x1 = Math.max(x0 + 3, xOf(layout, a.endT));
    if (dense) {
      const key = ((Math.round(x0) * 16384 + Math.round(x1)) * 64 + a.lane) * 4 + ENDS.indexOf(a.end);
      if (drawn.has(key)) continue;
      drawn.add(key);
    }
    bars[a.end].moveTo(x0, y);
    bars[a.end].lineTo(x1, y);
    if (a.end === 'fail') addCross(crosses, x1, y, 4);
    if (dense) continue;
    ticks.moveTo(x0, y - 4);
    ticks.lineTo(x0, y + 4);
    if (a.end === 'ok') {
      ticks.moveTo(x1, y - 4);
      ticks.lineTo(x1, y + 4);
    }
    let dot = kinds.get(a.kind);
    if (!dot) kinds.set(a.kind, (dot = new Path2D()));
    dot.moveTo(x0 + 2.5, y);
    dot.arc(x0, y, 2.5, 0, Math.PI * 2);
  }
  ctx.lineWidth = 3;
  for (const end of ENDS) {
    ctx.strokeStyle = ACTION_COLOURS[end];
    ctx.setLineDash(end === 'open' ? [4, 3] : []);
    ctx.stroke(bars[end]);
  }
  ctx.setLineDash([]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = ACTION_COLOURS.ok;
  ctx.stroke(ticks);
  ctx.lineWidth = 2;
  ctx.strokeStyle = ACTION_COLOURS.fail;
  ctx.stroke(crosses);
  for (const [kind, dot] of kinds) {
    ctx.fillStyle = KIND_COLOURS[kind] ?? ACTION_COLOURS.ok;
    ctx.fill(dot);
  }
  ctx.lineWidth = 1;
}

/** An engine error: a red triangle with an exclamation mark on its lane, and the call that threw. */
export function drawEngineError(ctx: CanvasRenderingContext2D, x: number, y: number, call: string): void {
  ctx.fillStyle = ENGINE_ERROR_COLOUR;
  ctx.beginPath();
  ctx.moveTo(x, y - 8);
  ctx.lineTo(x + 8, y + 6);
  ctx.lineTo(x - 8, y + 6);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('!', x, y + 1.5);
  ctx.textAlign = 'left';
  ctx.fillStyle = ENGINE_ERROR_COLOUR;
  ctx.fillText(`engine error${call ? ` (${call})` : ''}`, x + 10, y);
}

/** The action at the playhead, outlined and labelled with its kind, task and value. */
export function drawActionLabel(ctx: CanvasRenderingContext2D, layout: Layout, a: UserAction, label: string): void {
  const y = layout.laneYs[a.lane];
  if (y === undefined) return;
  const top = y - userOffset(layout);
  const x0 = xOf(layout, a.invokeT);
  const x1 = Math.max(x0 + 3, xOf(layout, a.endT));
  ctx.strokeStyle = '#d4a72c';
  ctx.lineWidth = 2;
  ctx.strokeRect(x0 - 3, top - 5, x1 - x0 + 6, 10);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  const width = ctx.measureText(label).width;
  const x = Math.max(layout.gutter, Math.min(x0, layout.width - width - 8));
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(x - 2, top - 19, width + 4, 13);
  ctx.fillStyle = a.end === 'fail' ? ACTION_COLOURS.fail : '#24292f';
  ctx.fillText(label, x, top - 6);
}

/** The action whose bar is under a point (within `radius` px), for hovering between its ends. */
export function pickAction(index: TraceIndex, layout: Layout, filter: DrawFilter, x: number, y: number, radius = 5): UserAction | undefined {
  const t = tOf(layout, x);
  const dy = userOffset(layout);
  let best: UserAction | undefined;
  for (const a of visibleActions(index, layout, filter, tOf(layout, x - radius), t)) {
    const barY = layout.laneYs[a.lane]! - dy;
    if (Math.abs(barY - y) > radius || xOf(layout, a.endT) + radius < x) continue;
    best = a; // the latest invoked of overlapping bars: drawn last, on top
  }
  return best;
}

function addCross(path: Path2D, x: number, y: number, r: number): void {
  path.moveTo(x - r, y - r);
  path.lineTo(x + r, y + r);
  path.moveTo(x + r, y - r);
  path.lineTo(x - r, y + r);
}
