/** Where things go on the space-time diagram: lanes top to bottom, time left to right. */
import type { TraceIndex } from '../model/trace-index.ts';

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
  /** Centre y by index into the trace's lanes; undefined for a hidden lane. */
  laneYs: Array<number | undefined>;
  laneHeight: number;
  window: TimeWindow;
}

export const GUTTER = 84;
export const AXIS = 22;

export function makeLayout(index: TraceIndex, width: number, height: number, window: TimeWindow, hidden: ReadonlySet<string>): Layout {
  const lanes = index.lanes.filter((l) => !hidden.has(l));
  const laneHeight = (height - AXIS) / Math.max(1, lanes.length);
  const laneY = new Map(lanes.map((l, i) => [l, AXIS + laneHeight * (i + 0.5)]));
  return { width, height, gutter: GUTTER, axis: AXIS, lanes, laneY, laneYs: index.lanes.map((l) => laneY.get(l)), laneHeight, window };
}

export const xOf = (layout: Layout, t: number) =>
  layout.gutter + ((t - layout.window.t0) / Math.max(1e-9, layout.window.t1 - layout.window.t0)) * (layout.width - layout.gutter - 8);

export const tOf = (layout: Layout, x: number) =>
  layout.window.t0 + ((x - layout.gutter) / (layout.width - layout.gutter - 8)) * (layout.window.t1 - layout.window.t0);


/** How far above its lane's centre a user's action is drawn, and below it a read: clear of ops and applies, inside the lane. */
export const userOffset = (layout: Layout) => Math.min(15, layout.laneHeight * 0.3);
