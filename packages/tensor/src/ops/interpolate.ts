import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { as2d, from2d } from './conv-geometry.js';
import { checkTensor, requireFloat } from './operand.js';
import { windowAverage2d, type AxisWindows } from './pool-window.js';
import { resampleAxis, type ResampleTaps } from './resample.js';
import { adaptiveBounds } from './pool-adaptive-max.js';

/** Resampling modes of `interpolate`, as PyTorch names them. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'area';

/**
 * Options of `interpolate`, as PyTorch's `F.interpolate`: exactly one of `size` and `scaleFactor`;
 * `mode` 'nearest'; `alignCorners` false for the interpolating modes (and not allowed for 'nearest').
 * @example interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true });
 */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every spatial dimension, or one per dimension. */
  size?: number | readonly number[];
  /** Output size = ⌊input size · factor⌋; unless `recomputeScaleFactor`, sampling uses 1/factor as the step. */
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default), 'nearest-exact', 'area', 'linear' (1-D), 'bilinear' or 'bicubic' (2-D). */
  mode?: InterpolateMode;
  /** Map the corner pixels' centres onto each other (step (in − 1)/(out − 1)) instead of the corners' edges. */
  alignCorners?: boolean;
  /** Sample with the step in/out of the computed size instead of 1/scaleFactor. */
  recomputeScaleFactor?: boolean;
}

// PyTorch's bicubic convolution constant (Keys' kernel with a = −0.75, as in OpenCV).
const CUBIC_A = -0.75;

const SPATIAL: Record<InterpolateMode, number[]> = {
  nearest: [1, 2], 'nearest-exact': [1, 2], linear: [1], bilinear: [2], bicubic: [2], area: [1, 2],
};

/** PyTorch's `area_pixel_compute_scale`: the step between source positions of consecutive outputs. */
function sourceStep(inSize: number, outSize: number, alignCorners: boolean, factor: number | undefined): number {
  if (alignCorners) return outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
  return factor !== undefined && factor > 0 ? 1 / factor : inSize / outSize;
}

/** PyTorch's `area_pixel_compute_source_index`: where output i samples the input (half-pixel centres). */
function sourceIndex(step: number, i: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return step * i;
  const src = step * (i + 0.5) - 0.5;
  return !cubic && src < 0 ? 0 : src;
}

function cubicNear(x: number): number {
  return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
}

function cubicFar(x: number): number {
  return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
}

/**
 * The taps of linear (2) or cubic (4) resampling along one axis, as PyTorch computes them. Cubic taps
 * past an edge read the edge (PyTorch's clamping); a linear tap at the last position repeats it.
 */
function resampleTaps(inSize: number, outSize: number, cubic: boolean, alignCorners: boolean, factor: number | undefined): ResampleTaps {
  const taps = cubic ? 4 : 2;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  const step = sourceStep(inSize, outSize, alignCorners, factor);
  for (let i = 0; i < outSize; i++) {
    const src = sourceIndex(step, i, alignCorners, cubic);
    const i0 = Math.floor(src);
    const t = src - i0;
    if (cubic) {
      const w = [cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)];
      for (let k = 0; k < 4; k++) {
        index[i * 4 + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
        weight[i * 4 + k] = w[k];
      }
    } else {
      index[i * 2] = i0;
      index[i * 2 + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
      weight[i * 2] = 1 - t;
      weight[i * 2 + 1] = t;
    }
  }
  return { taps, inSize, index, weight };
}

/**
 * PyTorch's nearest source index ⌊i·scale⌋ (or ⌊(i + ½)·scale⌋ for 'nearest-exact'), computed in float32 as
 * its kernel does, as one-element windows.
 */
function nearestWindows(inSize: number, outSize: number, factor: number | undefined, exact: boolean): AxisWindows {
  const f32 = Math.fround;
  const scale = factor !== undefined && factor > 0 ? f32(1 / factor) : f32(f32(inSize) / f32(outSize));
  const w = { start: new Int32Array(outSize), end: new Int32Array(outSize), count: new Int32Array(outSize).fill(1) };
  for (let i = 0; i < outSize; i++) {
    let src: number;
    if (outSize === inSize) src = i;
    else if (!exact && outSize === 2 * inSize) src = i >> 1;
    else src = Math.min(Math.floor(exact ? f32(f32(i + 0.5) * scale) : f32(f32(i) * scale)), inSize - 1);
    w.start[i] = src;
    w.end[i] = src + 1;
  }
  return w;
}

/** PyTorch's adaptive average windows: output i averages ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉ − 1. */
function areaWindows(inSize: number, outSize: number): AxisWindows {
  const { start, end } = adaptiveBounds(inSize, outSize);
  return { start, end, count: end.map((e, i) => e - start[i]) };
}

function perSpatial(op: string, field: string, v: number | readonly number[], n: number, ok: (x: number) => boolean, what: string): number[] {
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (list.length !== n || !list.every(ok)) {
    throw new ValueError(op, `${field} must be ${what} or a list of ${n} of them, got ${typeof v === 'number' ? v : `[${v.join(', ')}]`}`);
  }
  return list;
}

/**
 * Resizes the spatial dimensions of an [N, C, L] or [N, C, H, W] input, as PyTorch's `F.interpolate`:
 * 'nearest' (1-D or 2-D; the source index ⌊i·in/out⌋ in float32, as PyTorch), 'nearest-exact' (⌊(i + ½)·in/out⌋),
 * 'area' (adaptive average pooling), 'linear' (1-D), 'bilinear' and 'bicubic' (2-D; Keys' cubic with
 * a = −0.75, taps past an edge clamped to it), with `alignCorners`.
 * Differentiable: the gradient is the adjoint of the resampling (`resampleAxisBackward`).
 *
 * @example
 * interpolate(tensor([[[0, 1]]]), { size: 4, mode: 'linear' }).toArray(); // [[[0, 0.25, 0.75, 1]]]
 * interpolate(randn([1, 3, 8, 8]), { scaleFactor: 2, mode: 'bicubic', alignCorners: true }).shape; // [1, 3, 16, 16]
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  const x = checkTensor(op, input);
  requireFloat(op, x);
  const { size, scaleFactor, mode = 'nearest', recomputeScaleFactor = false } = options ?? {};
  const allowed = SPATIAL[mode];
  if (allowed === undefined) {
    throw new ValueError(op, `mode must be one of ${Object.keys(SPATIAL).join(', ')}, got '${String(mode)}'`);
  }
  const spatial = x.rank - 2;
  if (!allowed.includes(spatial)) {
    const ranks = allowed.map((s) => `${s + 2}-D`).join(' or ');
    throw new ShapeError(op, `mode '${mode}' needs a ${ranks} input ([N, C, ${allowed.includes(1) ? 'L' : 'H, W'}]), got ${fmtShape(x.shape)}`);
  }
  if ((mode === 'nearest' || mode === 'nearest-exact' || mode === 'area') && options.alignCorners !== undefined) {
    throw new ValueError(op, "alignCorners can only be set with the interpolating modes 'linear', 'bilinear' and 'bicubic'");
  }
  const alignCorners = options.alignCorners ?? false;
  if ((size === undefined) === (scaleFactor === undefined)) throw new ValueError(op, 'give exactly one of options.size and options.scaleFactor');
  const inSize = x.shape.slice(2);
  let outSize: number[];
  let factors: (number | undefined)[] = inSize.map(() => undefined);
  if (size !== undefined) {
    outSize = perSpatial(op, 'size', size, spatial, (s) => Number.isInteger(s) && s >= 1, 'a positive integer');
  } else {
    const f = perSpatial(op, 'scaleFactor', scaleFactor!, spatial, (s) => Number.isFinite(s) && s > 0, 'a positive number');
    outSize = inSize.map((n, i) => Math.floor(n * f[i]));
    if (outSize.some((n) => n < 1)) {
      throw new ValueError(op, `scaleFactor [${f.join(', ')}] shrinks input ${inSize.join('×')} to an empty ${outSize.join('×')}`);
    }
    if (!recomputeScaleFactor) factors = f;
  }
  if (mode === 'nearest' || mode === 'nearest-exact' || mode === 'area') {
    // 'area' is adaptive average pooling to the output size, as in PyTorch.
    const windows = inSize.map((n, i) => (mode === 'area' ? areaWindows(n, outSize[i]) : nearestWindows(n, outSize[i], factors[i], mode === 'nearest-exact')));
    const one: AxisWindows = { start: Int32Array.of(0), end: Int32Array.of(1), count: Int32Array.of(1) };
    const [rows, cols] = spatial === 1 ? [one, windows[0]] : windows;
    return from2d(windowAverage2d(as2d(x), rows, cols), spatial);
  }
  const cubic = mode === 'bicubic';
  const taps = (i: number): ResampleTaps => resampleTaps(inSize[i], outSize[i], cubic, alignCorners, factors[i]);
  // Along W first, then H, as PyTorch's separable kernels sum.
  const alongW = resampleAxis(x, -1, taps(spatial - 1));
  return spatial === 1 ? alongW : resampleAxis(alongW, -2, taps(0));
}
