import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { fromBatched, toBatched } from './conv-geometry.js';
import { requireFloat } from './operand.js';
import { windowAverage2d, type AxisWindows } from './pool-window.js';

/**
 * Give exactly one of `size` (the output H, W) and `scaleFactor` (output = ⌊input · factor⌋).
 * @example upsampleNearest2d(x, { size: [32, 48] });
 */
export interface UpsampleOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
}

/**
 * Source positions of nearest-neighbour resizing along one axis, as PyTorch computes them: in float32,
 * with the scale 1/scaleFactor when a factor was given and size_in/size_out otherwise. Each output
 * position is a one-element window, so the op shares the window-average kernels.
 */
function nearestWindows(size: number, n: number, factor: number | undefined): AxisWindows {
  const f32 = Math.fround;
  const scale = factor !== undefined ? f32(1 / factor) : f32(f32(size) / f32(n));
  const w = { start: new Int32Array(n), end: new Int32Array(n), count: new Int32Array(n).fill(1) };
  for (let i = 0; i < n; i++) {
    let src: number;
    if (n === size) src = i;
    else if (n === 2 * size) src = i >> 1;
    else src = Math.min(Math.floor(f32(f32(i) * scale)), size - 1);
    w.start[i] = src;
    w.end[i] = src + 1;
  }
  return w;
}

function pair(op: string, field: string, v: number | readonly number[], positive: (x: number) => boolean): [number, number] {
  const list = typeof v === 'number' ? [v, v] : [...v];
  if (list.length !== 2 || !list.every(positive)) {
    throw new ValueError(op, `${field} must be a positive number or a pair of them, got ${typeof v === 'number' ? v : `[${v.join(', ')}]`}`);
  }
  return [list[0], list[1]];
}

/**
 * Nearest-neighbour upsampling (or resizing) of an [N, C, H, W] (or [C, H, W]) input, as PyTorch's
 * `F.interpolate(x, size | scale_factor, mode='nearest')`. Its gradient sums over the copies.
 *
 * @example
 * upsampleNearest2d(tensor([[[[1, 2], [3, 4]]]]), { scaleFactor: 2 }).shape; // [1, 1, 4, 4]
 */
export function upsampleNearest2d(input: Tensor, options: UpsampleOptions): Tensor {
  const op = 'upsampleNearest2d';
  const [x, unbatched] = toBatched(op, input, 2);
  requireFloat(op, x);
  const { size, scaleFactor } = options ?? {};
  if ((size === undefined) === (scaleFactor === undefined)) {
    throw new ValueError(op, 'give exactly one of options.size and options.scaleFactor');
  }
  const [H, W] = x.shape.slice(2);
  let out: [number, number];
  let factors: [number | undefined, number | undefined] = [undefined, undefined];
  if (size !== undefined) {
    out = pair(op, 'size', size, (s) => Number.isInteger(s) && s >= 1);
  } else {
    const [fH, fW] = pair(op, 'scaleFactor', scaleFactor as number | readonly number[], (s) => Number.isFinite(s) && s > 0);
    factors = [fH, fW];
    out = [Math.floor(H * fH), Math.floor(W * fW)];
    if (out[0] < 1 || out[1] < 1) {
      throw new ValueError(op, `scaleFactor [${fH}, ${fW}] shrinks input ${H}×${W} to an empty ${out.join('×')}`);
    }
  }
  const rows = nearestWindows(H, out[0], factors[0]);
  const cols = nearestWindows(W, out[1], factors[1]);
  return fromBatched(windowAverage2d(x, rows, cols), unbatched);
}
