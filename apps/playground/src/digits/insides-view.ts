// Draws the first layer's 16 filters (3×3) and feature maps (8×8) as small tiles: blue for positive,
// orange for negative weights (scaled to the largest magnitude), grey levels for the ReLU maps.
const TILES = 16;

function drawTiles(canvas: HTMLCanvasElement, values: Float32Array, side: number, signed: boolean): void {
  const ctx = canvas.getContext('2d')!;
  const columns = 8;
  const cell = Math.floor(canvas.width / columns);
  const pixel = Math.floor((cell - 4) / side);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  for (let t = 0; t < TILES; t++) {
    const ox = (t % columns) * cell + 2;
    const oy = Math.floor(t / columns) * cell + 2;
    for (let i = 0; i < side * side; i++) {
      const v = values[t * side * side + i] / scale;
      if (signed) {
        const a = Math.min(1, Math.abs(v));
        ctx.fillStyle = v >= 0 ? `rgba(8, 119, 189, ${a})` : `rgba(245, 147, 34, ${a})`;
      } else {
        const g = Math.round(255 * (1 - Math.max(0, v)));
        ctx.fillStyle = `rgb(${g}, ${g}, ${g})`;
      }
      ctx.fillRect(ox + (i % side) * pixel, oy + Math.floor(i / side) * pixel, pixel, pixel);
    }
  }
}

/** Redraws both grids; the canvases record when they were last drawn, for the page's tests. */
export function drawInsides(filtersCanvas: HTMLCanvasElement, mapsCanvas: HTMLCanvasElement, filters: Float32Array, featureMaps: Float32Array): void {
  drawTiles(filtersCanvas, filters, 3, true);
  drawTiles(mapsCanvas, featureMaps, 8, false);
  filtersCanvas.dataset.tiles = String(TILES);
  mapsCanvas.dataset.tiles = String(TILES);
  let active = 0;
  for (let t = 0; t < TILES; t++) if (featureMaps.subarray(t * 64, (t + 1) * 64).some((v) => v > 0)) active++;
  mapsCanvas.dataset.active = String(active);
  mapsCanvas.setAttribute('aria-label', `The 16 feature maps of the first layer for this image; ${active} of them respond`);
}
