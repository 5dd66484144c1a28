/**
 * Event glyphs (small dots, squares and diamonds) gathered by glyph and filled with one call each:
 * setting `fillStyle` for each of 100,000 events costs more than drawing them. When dense, a
 * glyph already drawn on the same lane within the same two pixel columns is skipped, so a
 * zoomed-out diagram costs at most one shape per glyph, lane and pair of columns.
 */
export interface Glyph {
  colour: string;
  shape: 'dot' | 'square' | 'diamond';
  /** Radius of a dot, side of a square, half the height of a diamond. */
  size: number;
  /** Offset from the lane's centre line. */
  dy: number;
}

export class GlyphBatch {
  private readonly paths: Path2D[];
  private readonly drawn: Uint8Array | undefined;
  private readonly columns: number;

  constructor(private readonly glyphs: readonly Glyph[], private readonly lanes: number, width: number, dense: boolean) {
    this.paths = glyphs.map(() => new Path2D());
    this.columns = Math.ceil(width / 2) + 1;
    this.drawn = dense ? new Uint8Array(glyphs.length * lanes * this.columns) : undefined;
  }

  add(glyph: number, lane: number, x: number, y: number): void {
    const { shape, size, dy } = this.glyphs[glyph]!;
    if (this.drawn) {
      const column = Math.max(0, Math.min(this.columns - 1, Math.floor(x / 2)));
      const key = (glyph * this.lanes + lane) * this.columns + column;
      if (this.drawn[key]) return;
      this.drawn[key] = 1;
    }
    const path = this.paths[glyph]!;
    const cy = y + dy;
    if (shape === 'square') path.rect(x - size / 2, cy - size / 2, size, size);
    else if (shape === 'diamond') {
      path.moveTo(x, cy - size);
      path.lineTo(x + size, cy);
      path.lineTo(x, cy + size);
      path.lineTo(x - size, cy);
      path.closePath();
    }
    else if (this.drawn) path.rect(x - size / 2, cy - size / 2, size, size); // a dot is a square when dense
    else {
      path.moveTo(x + size, cy);
      path.arc(x, cy, size, 0, Math.PI * 2);
    }
  }

  fill(ctx: CanvasRenderingContext2D): void {
    this.paths.forEach((path, glyph) => {
      ctx.fillStyle = this.glyphs[glyph]!.colour;
      ctx.fill(path);
    });
  }
}
