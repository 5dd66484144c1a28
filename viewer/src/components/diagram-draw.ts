/**
 * Canvas drawing of the space-time diagram: time runs left to right, one lane per node.
 * Only the visible time window is drawn, found by binary search on precomputed indexes.
 */
import { lowerBound, SERVER, type MessageSpan, type TraceIndex } from '../model/trace-index.ts';

export interface TimeWindow {
  t0: number;
  t1: number;
}

export interface Layout {
  width: number;
  height: number;
  gutter: number;
  axis: number;
  /** Visible lanes, top to bottom, and their centre y. */
  lanes: string[];
  laneY: Map<string, number>;
  laneHeight: number;
  window: TimeWindow;
}

export interface DrawFilter {
  task: string;
  hidden: ReadonlySet<string>;
}

export const GUTTER = 84;
export const AXIS = 22;

export function makeLayout(index: TraceIndex, width: number, height: number, window: TimeWindow, hidden: ReadonlySet<string>): Layout {
  const lanes = index.lanes.filter((l) => !hidden.has(l));
  const laneHeight = (height - AXIS) / Math.max(1, lanes.length);
  const laneY = new Map(lanes.map((l, i) => [l, AXIS + laneHeight * (i + 0.5)]));
  return { width, height, gutter: GUTTER, axis: AXIS, lanes, laneY, laneHeight, window };
}

export const xOf = (layout: Layout, t: number) =>
  layout.gutter + ((t - layout.window.t0) / Math.max(1e-9, layout.window.t1 - layout.window.t0)) * (layout.width - layout.gutter - 8);

export const tOf = (layout: Layout, x: number) =>
  layout.window.t0 + ((x - layout.gutter) / (layout.width - layout.gutter - 8)) * (layout.window.t1 - layout.window.t0);

const PERIOD_COLOURS: Record<string, string> = {
  offline: 'rgba(110,118,129,0.22)',
  partition: 'rgba(240,136,62,0.22)',
  crash: 'rgba(207,34,46,0.22)',
  unavailable: 'rgba(207,34,46,0.18)',
  app: 'rgba(137,87,229,0.14)',
};

const MESSAGE_COLOURS = {
  request: 'rgba(84,110,160,0.75)',
  ok: 'rgba(46,158,91,0.8)',
  client: 'rgba(224,138,0,0.9)',
  error: 'rgba(207,34,46,0.9)',
  drop: 'rgba(207,34,46,0.9)',
  dup: 'rgba(137,87,229,0.85)',
};

export const OP_COLOURS: Record<string, string> = { create: '#1f6feb', update: '#8957e5', delete: '#cf222e' };
const SERVER_APPLY_COLOURS: Record<string, string> = { applied: '#1a7f37', duplicate: '#8c959f', conflict: '#e08a00', rejected: '#cf222e' };

type MessageStyle = keyof typeof MESSAGE_COLOURS;

function styleOf(m: MessageSpan): MessageStyle {
  if (m.end === 'drop') return 'drop';
  if (m.dup) return 'dup';
  if (!m.reply) return 'request';
  const status = m.status ?? 200;
  if (status >= 500) return 'error';
  if (status >= 400) return 'client';
  return 'ok';
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

export function formatTime(ms: number): string {
  if (Math.abs(ms) >= 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  if (Math.abs(ms) >= 1000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Math.round(ms)}ms`;
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
  const step = niceStep(t1 - t0, Math.max(2, (layout.width - layout.gutter) / 90));
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

function drawPeriods(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout): void {
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const p of index.periods) {
    const y = layout.laneY.get(p.lane);
    if (y === undefined || p.endT < layout.window.t0 || p.startT > layout.window.t1) continue;
    const x0 = Math.max(layout.gutter, xOf(layout, p.startT));
    const x1 = Math.min(layout.width, xOf(layout, p.endT));
    const top = y - layout.laneHeight / 2;
    ctx.fillStyle = PERIOD_COLOURS[p.kind] ?? 'rgba(110,118,129,0.15)';
    ctx.fillRect(x0, top + 1, Math.max(1, x1 - x0), layout.laneHeight - 2);
    if (x1 - x0 > 50) {
      ctx.fillStyle = '#57606a';
      ctx.fillText(p.label, x0 + 3, top + 3);
    }
  }
  if (index.finalHealT !== undefined && index.finalHealT >= layout.window.t0 && index.finalHealT <= layout.window.t1) {
    const x = xOf(layout, index.finalHealT);
    ctx.strokeStyle = '#1a7f37';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, layout.axis);
    ctx.lineTo(x + 0.5, layout.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#1a7f37';
    ctx.fillText('final heal', x + 3, layout.axis + 2);
  }
}

function drawMessages(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  const { t0, t1 } = layout.window;
  const messages = index.messages;
  // Messages are sorted by send time; any that crosses t0 was sent at most maxFlightMs before it.
  let lo = 0;
  let hi = messages.length;
  const from = t0 - index.maxFlightMs;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.sendT < from) lo = mid + 1;
    else hi = mid;
  }
  const buckets = new Map<MessageStyle, MessageSpan[]>();
  let count = 0;
  for (let i = lo; i < messages.length && messages[i]!.sendT <= t1; i++) {
    const m = messages[i]!;
    if (m.endT < t0 || !layout.laneY.has(m.from) || !layout.laneY.has(m.to)) continue;
    const style = styleOf(m);
    let list = buckets.get(style);
    if (!list) buckets.set(style, (list = []));
    list.push(m);
    count++;
  }
  const arrows = count < 3000;
  ctx.globalAlpha = filter.task === '' ? 1 : 0.25;
  for (const [style, list] of buckets) {
    ctx.strokeStyle = MESSAGE_COLOURS[style];
    ctx.fillStyle = MESSAGE_COLOURS[style];
    ctx.lineWidth = 1;
    ctx.setLineDash(style === 'dup' ? [4, 3] : []);
    ctx.beginPath();
    for (const m of list) {
      const [x0, y0, x1, y1] = messageEnds(layout, m);
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    for (const m of list) {
      const [x0, y0, x1, y1] = messageEnds(layout, m);
      if (m.end === 'drop') drawCross(ctx, x1, y1, 5);
      else if (arrows && m.end === 'deliver') drawArrowHead(ctx, x0, y0, x1, y1);
      if (m.dup && arrows) {
        ctx.beginPath();
        ctx.arc(x0, y0, 4, 0, Math.PI * 2);
        ctx.stroke();
      }
    }
    if (style === 'drop' && arrows) {
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'bottom';
      for (const m of list) {
        const [, , x1, y1] = messageEnds(layout, m);
        ctx.fillText(m.reason ?? 'dropped', x1 + 6, y1 - 2);
      }
    }
  }
  ctx.globalAlpha = 1;
}

/** A delivered message ends on its destination lane; a dropped one stops two thirds of the way. */
export function messageEnds(layout: Layout, m: MessageSpan): [number, number, number, number] {
  const y0 = layout.laneY.get(m.from)!;
  const yTo = layout.laneY.get(m.to)!;
  const y1 = m.end === 'drop' ? y0 + (yTo - y0) * 0.66 : yTo;
  return [xOf(layout, m.sendT), y0, xOf(layout, m.endT), y1];
}

function drawCross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
  ctx.lineWidth = 1;
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

/** Where an event is drawn, or undefined when it has no place on a visible lane. */
export function eventPoint(index: TraceIndex, layout: Layout, seq: number): [number, number] | undefined {
  const lane = index.laneOfSeq[seq]!;
  const x = xOf(layout, index.times[seq]!);
  if (lane === -2) return [x, layout.axis + 6];
  if (lane < 0) return undefined;
  const y = layout.laneY.get(index.lanes[lane]!);
  return y === undefined ? undefined : [x, y];
}

function drawEvents(ctx: CanvasRenderingContext2D, index: TraceIndex, layout: Layout, filter: DrawFilter): void {
  const first = lowerBound(index.times, layout.window.t0);
  const last = lowerBound(index.times, layout.window.t1 + 1e-9);
  const dense = last - first > 4000;
  for (let seq = first; seq < last; seq++) {
    const e = index.events[seq]!;
    if (filter.task !== '' && index.taskOfSeq[seq] !== filter.task && e.type !== 'fault') continue;
    const point = eventPoint(index, layout, seq);
    if (!point) continue;
    const [x, y] = point;
    switch (e.type) {
      case 'op':
        ctx.fillStyle = OP_COLOURS[String(e.kind)] ?? '#1f6feb';
        dot(ctx, x, y - 6, 4, dense);
        break;
      case 'device.apply':
        if (e.source === 'local') break; // the op dot shows it
        ctx.fillStyle = '#1a7f37';
        dot(ctx, x, y + 6, 3, dense);
        break;
      case 'server.apply':
        ctx.fillStyle = SERVER_APPLY_COLOURS[String(e.result)] ?? '#1a7f37';
        ctx.fillRect(x - 3, y - 9, 6, 6);
        break;
      case 'fault':
        if (e.kind === 'heal' && e.t === index.finalHealT) break; // drawn as the final-heal line
        drawFault(ctx, layout, x, y, String(e.kind), index.laneOfSeq[seq] === -2);
        break;
      case 'snapshot':
        ctx.fillStyle = '#57606a';
        ctx.fillRect(x - 2, y + 4, 4, 4);
        break;
      default:
        break;
    }
  }
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, dense: boolean): void {
  if (dense) {
    ctx.fillRect(x - r / 2, y - r / 2, r, r);
    return;
  }
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

function drawFault(ctx: CanvasRenderingContext2D, layout: Layout, x: number, y: number, kind: string, everyLane: boolean): void {
  ctx.fillStyle = '#bc4c00';
  ctx.strokeStyle = 'rgba(188,76,0,0.5)';
  if (everyLane) {
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, layout.axis);
    ctx.lineTo(x + 0.5, layout.height);
    ctx.stroke();
    ctx.setLineDash([]);
  }
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

/** The static layer: lanes, periods, messages, event dots. */
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
  drawEvents(ctx, index, layout, filter);
  ctx.restore();
}

/** The moving layer: highlighted events and the playhead. */
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
  }
  ctx.restore();
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
