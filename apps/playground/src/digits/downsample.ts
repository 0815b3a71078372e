// Turns a drawing into the dataset's input. The UCI digits were made by scanning each digit into a 32×32
// binary bitmap, the digit scaled to fill the box, then counting the ink pixels in each of the 64 blocks of
// 4×4: so every value is an integer 0..16. The same steps are taken here on the canvas's alpha channel.

/** Side of the intermediate bitmap and of the result, as in the dataset. */
export const BITMAP = 32;
export const SIDE = 8;

/** Alpha above which a canvas pixel counts as ink. */
const INK = 64;

/** The box (inclusive pixel bounds) holding every ink pixel, or null for an empty drawing. */
export function inkBounds(alpha: ArrayLike<number>, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x] > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/**
 * The 8×8 input (row-major, values 0..16) of a drawing given as one alpha value (0..255) per pixel. The ink's
 * bounding box is scaled, keeping its aspect ratio, so its longer side spans the 32-pixel bitmap, and
 * centred; each bitmap pixel is ink when the drawing pixel at its centre is. An empty drawing gives zeros.
 */
export function downsample(alpha: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  const box = inkBounds(alpha, width, height);
  if (!box) return out;
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const scale = Math.max(w, h) / BITMAP; // drawing pixels per bitmap pixel
  const offX = (BITMAP - w / scale) / 2;
  const offY = (BITMAP - h / scale) / 2;
  const block = BITMAP / SIDE;
  for (let by = 0; by < BITMAP; by++) {
    for (let bx = 0; bx < BITMAP; bx++) {
      const sx = Math.floor(box.x0 + (bx + 0.5 - offX) * scale);
      const sy = Math.floor(box.y0 + (by + 0.5 - offY) * scale);
      if (sx < box.x0 || sx > box.x1 || sy < box.y0 || sy > box.y1) continue;
      if (alpha[sy * width + sx] > INK) out[Math.floor(by / block) * SIDE + Math.floor(bx / block)] += 1;
    }
  }
  return out;
}
