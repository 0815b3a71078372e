import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { perDim, type SpatialArg } from './conv-geometry.js';

/**
 * Pooling options shared by max and average pooling, as PyTorch names them.
 * @example maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true });
 */
export interface PoolOptions {
  kernelSize: SpatialArg;
  /** Defaults to `kernelSize` (PyTorch's `stride=None`). */
  stride?: SpatialArg | null;
  /** Implicit padding on both sides: −∞ for max pooling, zeros for average pooling; at most half the kernel. */
  padding?: SpatialArg;
  /** Round the output size up instead of down, so a last partial window is kept when it starts inside the input or left padding. */
  ceilMode?: boolean;
}

/** The per-dimension window geometry and output size of a pooling op. */
export interface PoolGeometry {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  outSize: number[];
}

/** PyTorch's `pooling_output_shape` for one dimension. */
function poolOutputSize(size: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  let out = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  // In ceil mode the last window must start inside the input or the left padding, never in the right padding.
  if (ceilMode && (out - 1) * s >= size + p) out--;
  return out;
}

/** Resolves and checks pooling options for the [N, C, ...spatial] input `x`, as PyTorch's pool shape checks. */
export function poolGeometry(op: string, x: Tensor, spatial: number, options: PoolOptions, dilationArg: SpatialArg = 1): PoolGeometry {
  if (options === undefined || options.kernelSize === undefined) throw new ValueError(op, 'needs options.kernelSize');
  const kernel = perDim(op, 'kernelSize', options.kernelSize, spatial, 1);
  const stride = perDim(op, 'stride', options.stride ?? kernel, spatial, 1);
  const padding = perDim(op, 'padding', options.padding ?? 0, spatial, 0);
  const dilation = perDim(op, 'dilation', dilationArg, spatial, 1);
  if (padding.some((p, i) => p > Math.floor(kernel[i] / 2))) {
    throw new ValueError(op, `padding [${padding.join(', ')}] must be at most half of kernelSize [${kernel.join(', ')}]`);
  }
  const inSize = x.shape.slice(2);
  const outSize = inSize.map((n, i) => poolOutputSize(n, kernel[i], stride[i], padding[i], dilation[i], options.ceilMode ?? false));
  if (outSize.some((n) => n < 1)) {
    throw new ShapeError(
      op,
      `input ${fmtShape(x.shape)} is too small for kernelSize [${kernel.join(', ')}] with padding [${padding.join(', ')}] and dilation [${dilation.join(', ')}]: output size would be ${outSize.join('×')}`,
    );
  }
  return { kernel, stride, padding, dilation, outSize };
}
