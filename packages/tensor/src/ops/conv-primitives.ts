import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { commonFloat, type ConvGeometry } from './conv-geometry.js';

/**
 * A `ConvGeometry` plus which way the convolution runs; the attributes autograd records.
 * @example const attrs: ConvolutionAttrs = { ...geometry, transposed: true };
 */
export interface ConvolutionAttrs extends ConvGeometry {
  /** false: a convolution (weight [out, in/groups, kH, kW]); true: its transpose (weight [in, out/groups, kH, kW]). */
  transposed: boolean;
}

function checkGroups(op: string, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(op, `groups must be an integer ≥ 1, got ${groups}`);
}

function checkGeometry(op: string, g: ConvGeometry): void {
  checkGroups(op, g.groups);
  const pairs: [string, readonly number[], number][] = [
    ['stride', g.stride, 1], ['padding', g.padding, 0], ['dilation', g.dilation, 1], ['outSize', g.outSize, 1],
  ];
  for (const [field, pair, min] of pairs) {
    if (pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || v < min)) {
      throw new ValueError(op, `${field} must be two integers ≥ ${min}, got [${pair.join(', ')}]`);
    }
  }
}

function checkRank4(op: string, name: string, t: Tensor): void {
  if (t.rank !== 4) throw new ShapeError(op, `${name} must have rank 4, got shape ${fmtShape(t.shape)}`);
}

/**
 * Checks that input, weight and bias channels agree for `groups` and returns the output channel count.
 * Shapes are reported as the caller gave them, so conv1d's errors show 1-D shapes.
 */
export function checkConvOperands(op: string, x: Tensor, w: Tensor, b: Tensor | null, groups: number, transposed: boolean): number {
  checkGroups(op, groups);
  const kernelDims = x.rank === 3 ? 'k' : 'kH, kW';
  const layout = transposed ? `[in, out/groups, ${kernelDims}]` : `[out, in/groups, ${kernelDims}]`;
  if (w.rank !== x.rank) {
    throw new ShapeError(op, `weight must have rank ${x.rank} (${layout}) for input ${fmtShape(x.shape)}, got ${fmtShape(w.shape)}`);
  }
  if (w.shape[0] % groups !== 0) {
    const role = transposed ? 'input' : 'output';
    throw new ShapeError(op, `weight ${fmtShape(w.shape)} has ${w.shape[0]} ${role} channels, which groups ${groups} does not divide`);
  }
  const inChannels = transposed ? w.shape[0] : w.shape[1] * groups;
  if (x.shape[1] !== inChannels) {
    throw new ShapeError(
      op,
      `input ${fmtShape(x.shape)} has ${x.shape[1]} channels but weight ${fmtShape(w.shape)} (${layout}) with groups ${groups} expects ${inChannels}`,
    );
  }
  const outChannels = transposed ? w.shape[1] * groups : w.shape[0];
  if (b !== null && (b.rank !== 1 || b.shape[0] !== outChannels)) {
    throw new ShapeError(op, `bias must have shape [${outChannels}] (one per output channel), got ${fmtShape(b.shape)}`);
  }
  return outChannels;
}

/**
 * The convolution primitive (PyTorch's `aten::convolution` for 2-D): what `conv1d`, `conv2d` and
 * `convTranspose2d` run after resolving their options, and what their gradients are written with. The
 * output size is given, not derived, so a transposed convolution can reproduce any input size.
 *
 * @example
 * // The input gradient of a 3×3 convolution with padding 1 of an [1, 2, 5, 5] input:
 * const gx = convolution2d(gradOut, weight, null,
 *   { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, outSize: [5, 5], transposed: true });
 */
export function convolution2d(input: Tensor, weight: Tensor, bias: Tensor | null, attrs: ConvolutionAttrs): Tensor {
  const op = attrs.transposed ? 'convTranspose2d' : 'conv2d';
  const [x, w, b] = commonFloat(op, [input, weight, bias]) as [Tensor, Tensor, Tensor | null];
  checkGeometry(op, attrs);
  checkRank4(op, 'input', x);
  checkRank4(op, 'weight', w);
  const outChannels = checkConvOperands(op, x, w, b, attrs.groups, attrs.transposed);
  const inputs = b === null ? [x, w] : [x, w, b];
  const shape = [x.shape[0], outChannels, ...attrs.outSize];
  const out = wrap(runKernel(op, inputs, { ...attrs, shape, dtype: x.dtype }));
  return recordOp('convolution2d', inputs, { ...attrs }, out);
}

/**
 * The weight gradient of a 2-D convolution: for `y = conv2d(input, w)` with geometry `g` (whose `outSize`
 * is the kernel size), the gradient of Σ y·gradOut with respect to w, shaped [out, in/groups, kH, kW].
 * It is bilinear in its two arguments, so its own gradients are convolutions again (double backward).
 *
 * @example
 * const gw = conv2dBackwardWeight(x, gradOut, { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, outSize: [3, 3] });
 */
export function conv2dBackwardWeight(input: Tensor, gradOut: Tensor, geometry: ConvGeometry): Tensor {
  const op = 'conv2dBackwardWeight';
  const [x, g] = commonFloat(op, [input, gradOut]) as [Tensor, Tensor];
  checkGeometry(op, geometry);
  checkRank4(op, 'input', x);
  checkRank4(op, 'gradOut', g);
  const groups = geometry.groups;
  if (x.shape[0] !== g.shape[0] || x.shape[1] % groups !== 0 || g.shape[1] % groups !== 0) {
    throw new ShapeError(
      op,
      `input ${fmtShape(x.shape)} and gradOut ${fmtShape(g.shape)} need the same batch size and channel counts divisible by groups ${groups}`,
    );
  }
  const attrs = { ...geometry };
  const shape = [g.shape[1], x.shape[1] / groups, ...geometry.outSize];
  const out = wrap(runKernel(op, [x, g], { ...attrs, shape, dtype: x.dtype }));
  return recordOp(op, [x, g], attrs, out);
}
