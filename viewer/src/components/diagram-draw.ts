/**
 * Canvas drawing of the space-time diagram: time runs left to right, one lane per node.
 * Only the visible time window is drawn, found by binary search on precomputed indexes.
 */
import { markerOf } from '../model/faults.ts';
import { describeValue } from '../model/history.ts';
import { taskIndexOf } from '../model/task-index.ts';
import type { TaskSelection } from '../model/task-selection.ts';
import { lowerBound, SERVER, str, type TraceIndex } from '../model/trace-index.ts';
import { drawFault, drawMarkers, drawPeriods } from './diagram-faults.ts';
import { drawActionLabel, drawActions, drawEngineError, READ_COLOUR } from './diagram-history.ts';
import { drawMessages } from './diagram-messages.ts';
import { formatTime, niceTimeStep } from './format.ts';
import { tOf, userOffset, xOf, type Layout } from './diagram-layout.ts';
import { GlyphBatch, type Glyph } from './glyph-batch.ts';

export interface DrawFilter {
  selection: TaskSelection | undefined;
  hidden: ReadonlySet<string>;
}


function drawLanes(ctx: CanvasRenderingContext2D, layout: Layout): void {
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  layout.lanes.forEach((lane, i) => {
    const top = layout.axis + i * layout.laneHeight;
    ctx.fillStyle = i % 2 === 0 ? '#f6f8fa' : '#ffffff';
    ctx.fillRect(0, top, layout.width, layout.laneHeight);
    ctx.fillStyle = lane === SERVER ? '#0a3069' : '#24292f';
    ctx.font = lane === SERVER ? 'bold 12px system-ui, sans-serif' : '12px system-ui, sans-serif';
    ctx.fillText(lane.length > 11 ? `${lane.slice(0, 10)}…` : lane, 8, top + layout.laneHeight / 2);
    ctx.strokeStyle = '#d0d7de';
    ctx.beginPath();
    ctx.moveTo(layout.gutter, top + layout.laneHeight / 2 + 0.5);
    ctx.lineTo(layout.width, top + layout.laneHeight / 2 + 0.5);
    ctx.stroke();
  });
}

function drawAxis(ctx: CanvasRenderingContext2D, layout: Layout): void {
  const { t0, t1 } = layout.window;
  const step = niceTimeStep(t1 - t0, Math.max(2, (layout.width - layout.gutter) / 90));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.axis);
  ctx.fillStyle = '#57606a';
  ctx.strokeStyle = '#eaeef2';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const x = xOf(layout, t);
    ctx.fillText(formatTime(t), x + 2, layout.axis / 2);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, layout.axis - 4);
    ctx.lineTo(x + 0.5, layout.height);
    ctx.stroke();
  }
}

/** How far from its lane's centre an event's mark is: the users' actions above, their reads below. */
function markOffset(type: string, layout: Layout): number {
  switch (type) {
    case 'invoke': case 'ok': case 'fail': return -userOffset(layout);
    case 'read': return userOffset(layout);
    default: return 0;
  }
}

/** Where an event is drawn, or undefined when it has no place on a visible lane. */
export function eventPoint(index: TraceIndex, layout: Layout, seq: number): [number, number] | undefined {
  const lane = index.laneOfSeq[seq]!;
  const x = xOf(layout, index.times[seq]!);
  if (lane === -2) return [x, layout.axis + 6];
  if (lane < 0) return undefined;
  const y = layout.laneYs[lane];
  return y === undefined ? undefined : [x, y + markOffset(index.events[seq]!.type, layout)];
}

const OP_COLOURS: Record<string, string> = { create: '#1f6feb', update: '#8957e5', delete: '#cf222e' };
const SERVER_APPLY_COLOURS: Record<string, string> = { applied: '#1a7f37', duplicate: '#8c959f', conflict: '#e08a00', rejected: '#cf222e' };

/** Every glyph an event can have, and where each event type and kind finds its own. */
const GLYPHS: Glyph[] = [];
const glyph = (g: Glyph) => GLYPHS.push(g) - 1;
const OP_GLYPHS = new Map(Object.entries(OP_COLOURS).map(([kind, colour]) => [kind, glyph({ colour, shape: 'dot', size: 4, dy: -6 })]));
const SERVER_APPLY_GLYPHS = new Map(Object.entries(SERVER_APPLY_COLOURS).map(([result, colour]) => [result, glyph({ colour, shape: 'square', size: 6, dy: -6 })]));
const APPLY_GLYPH = glyph({ colour: '#1a7f37', shape: 'dot', size: 3, dy: 6 });
const SNAPSHOT_GLYPH = glyph({ colour: '#57606a', shape: 'square', size: 4, dy: 6 });
const READ_GLYPH = glyph({ colour: READ_COLOUR, shape: 'diamond', size: 4, dy: 0 });

/** Whether the picked task's filter keeps an event: its own events, the reads that show it, and every fault and engine error. */
function kept(filter: DrawFilter, taskOfSeq: ReadonlyArray<string | undefined>, seq: number, type: string): boolean {
  const selection = filter.selection!;
  if (type === 'read') return selection.reads.has(seq);
  return type === 'fault' || type === 'engine-error' || taskOfSeq[seq] === selection.task;
}

function drawEvents(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  const first = lowerBound(index.times, layout.window.t0);
  const last = lowerBound(index.times, layout.window.t1 + 1e-9);
  const glyphs = new GlyphBatch(GLYPHS, index.lanes.length, layout.width, last - first > 4000);
  const flags: Array<{ x: number; y: number; kind: string; everyLane: boolean }> = [];
  const engineErrors: Array<{ x: number; y: number; call: string }> = [];
  const readDy = userOffset(layout);
  const taskOfSeq = filter.selection ? taskIndexOf(index).taskOfSeq : undefined;
  for (let seq = first; seq < last; seq++) {
    const e = index.events[seq]!;
    const lane = index.laneOfSeq[seq]!;
    const y = lane === -2 ? layout.axis + 6 : lane < 0 ? undefined : layout.laneYs[lane];
    if (y === undefined || (taskOfSeq && !kept(filter, taskOfSeq, seq, e.type))) continue;
    const x = xOf(layout, e.t);
    switch (e.type) {
      case 'op':
        glyphs.add(OP_GLYPHS.get(String(e.kind)) ?? OP_GLYPHS.get('create')!, lane, x, y);
        break;
      case 'device.apply':
        if (e.source !== 'local') glyphs.add(APPLY_GLYPH, lane, x, y); // a local one is the op's dot
        break;
      case 'server.apply':
        glyphs.add(SERVER_APPLY_GLYPHS.get(String(e.result)) ?? SERVER_APPLY_GLYPHS.get('applied')!, lane, x, y);
        break;
      case 'fault':
        if (e.kind === 'heal' && e.t === index.finalHealT) break; // drawn as the final-heal line
        if (markerOf(e)) break; // drawn as a marker
        flags.push({ x, y, kind: String(e.kind), everyLane: lane === -2 });
        break;
      case 'snapshot':
        glyphs.add(SNAPSHOT_GLYPH, lane, x, y);
        break;
      case 'read':
        glyphs.add(READ_GLYPH, lane, x, y + readDy);
        break;
      case 'engine-error':
        engineErrors.push({ x, y, call: str(e.call) });
        break;
      default: // invoke, ok and fail are drawn as the actions' bars
        break;
    }
  }
  glyphs.fill(ctx);
  for (const f of flags) drawFault(ctx, layout, f.x, f.y, f.kind, f.everyLane);
  for (const error of engineErrors) drawEngineError(ctx, error.x, error.y, error.call);
}

/** The static layer: lanes, periods, messages, the users' actions, event dots. */
export function drawBase(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  ctx.clearRect(0, 0, layout.width, layout.height);
  drawLanes(ctx, layout);
  drawAxis(ctx, layout);
  ctx.save();
  ctx.beginPath();
  ctx.rect(layout.gutter, 0, layout.width - layout.gutter, layout.height);
  ctx.clip();
  drawPeriods(ctx, index, layout);
  drawMessages(ctx, index, layout, filter);
  drawActions(ctx, index, layout, filter);
  drawEvents(ctx, index, layout, filter);
  drawMarkers(ctx, index, layout);
  ctx.restore();
}

/** The moving layer: highlighted events and the playhead, with the label of the user's action it is on. */
export function drawOverlay(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, seq: number, highlight: readonly number[]): void {
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(layout.gutter, 0, layout.width - layout.gutter, layout.height);
  ctx.clip();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = '#d4a72c';
  ctx.fillStyle = 'rgba(212,167,44,0.25)';
  for (const s of highlight) {
    const p = eventPoint(index, layout, s);
    if (!p) continue;
    ctx.beginPath();
    ctx.arc(p[0], p[1], 9, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
  if (seq >= 0 && seq < index.events.length) {
    const x = xOf(layout, index.times[seq]!);
    ctx.strokeStyle = '#cf222e';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, layout.axis);
    ctx.lineTo(x, layout.height);
    ctx.stroke();
    const p = eventPoint(index, layout, seq);
    if (p) {
      ctx.beginPath();
      ctx.arc(p[0], p[1], 6, 0, Math.PI * 2);
      ctx.stroke();
    }
    const action = actionAt(index, seq);
    if (action) drawActionLabel(ctx, layout, action, `${action.kind} ${action.task} ${describeValue(action)}${action.end === 'fail' ? ` — failed: ${action.error ?? ''}` : ''}`);
  }
  ctx.restore();
}

/** The user's action an invoke, ok or fail belongs to. */
function actionAt(index: TraceIndex, seq: number) {
  const e = index.events[seq]!;
  if (e.type !== 'invoke' && e.type !== 'ok' && e.type !== 'fail') return undefined;
  const position = index.actionOfWrite.get(str(e.write));
  return position === undefined ? undefined : index.actions[position];
}

/** The event nearest a point (within `radius` px), for clicks and hovering. */
export function pickEvent(index: TraceIndex, layout: Layout, x: number, y: number, radius = 8): number | undefined {
  const from = lowerBound(index.times, tOf(layout, x - radius));
  const to = lowerBound(index.times, tOf(layout, x + radius) + 1e-9);
  let best: number | undefined;
  let bestDistance = radius * radius * 2;
  // A crowded instant can hold thousands of events: look at a bounded number.
  for (let seq = from; seq < to && seq < from + 20_000; seq++) {
    const p = eventPoint(index, layout, seq);
    if (!p) continue;
    const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = seq;
    }
  }
  return best;
}
