import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { as2d, asPair, commonFloat, from2d, perDim, toBatched, fromBatched, type SpatialArg } from './conv-geometry.js';
import { checkConvOperands, convolution2d } from './conv-primitives.js';

/**
 * Options of `conv1d` and `conv2d`, as PyTorch's `F.conv2d` (defaults: stride 1, padding 0, dilation 1, groups 1).
 * @example conv2d(x, w, b, { stride: 2, padding: [1, 2], groups: 2 });
 */
export interface ConvOptions {
  stride?: SpatialArg;
  /** Zero padding on both sides of each dimension, or 'valid' (none), or 'same' (output size = input size; stride 1 only). */
  padding?: SpatialArg | 'valid' | 'same';
  dilation?: SpatialArg;
  groups?: number;
}

/**
 * Options of `convTranspose2d`, as PyTorch's `F.conv_transpose2d` (defaults: stride 1, padding 0, outputPadding 0, dilation 1, groups 1).
 * @example convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 }); // doubles H and W for a 3×3 kernel
 */
export interface ConvTransposeOptions {
  stride?: SpatialArg;
  padding?: SpatialArg;
  /** Extra size added on one side (bottom/right) of the output; each must be below its stride or dilation. */
  outputPadding?: SpatialArg;
  dilation?: SpatialArg;
  groups?: number;
}

interface Layout {
  /** Padding before the first element of each spatial dimension (the kernels imply the padding after). */
  before: number[];
  outSize: number[];
}

/** Padding and output size of a convolution; 'same' puts its odd extra element after, as PyTorch. */
function convLayout(op: string, x: Tensor, w: Tensor, stride: number[], dilation: number[], options: ConvOptions): Layout {
  const spatial = stride.length;
  const kernel = w.shape.slice(2);
  const padding = options.padding ?? 0;
  let before: number[];
  let after: number[];
  if (padding === 'valid') {
    before = after = new Array<number>(spatial).fill(0);
  } else if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new ValueError(op, `padding 'same' needs stride 1, got stride [${stride.join(', ')}]`);
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    before = total.map((t) => Math.floor(t / 2));
    after = total.map((t, i) => t - before[i]);
  } else {
    before = after = perDim(op, 'padding', padding, spatial, 0);
  }
  const padded = x.shape.slice(2).map((n, i) => n + before[i] + after[i]);
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  if (padded.some((n, i) => n < span[i])) {
    throw new ShapeError(
      op,
      `input ${fmtShape(x.shape)} padded to ${padded.join('×')} is smaller than the kernel ${kernel.join('×')} (dilated to ${span.join('×')})`,
    );
  }
  return { before, outSize: padded.map((n, i) => Math.floor((n - span[i]) / stride[i]) + 1) };
}

/** Padding and output size of a transposed convolution: (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1. */
function convTransposeLayout(
  op: string, x: Tensor, w: Tensor, stride: number[], dilation: number[], options: ConvTransposeOptions,
): Layout {
  const spatial = stride.length;
  const padding = perDim(op, 'padding', options.padding ?? 0, spatial, 0);
  const outputPadding = perDim(op, 'outputPadding', options.outputPadding ?? 0, spatial, 0);
  if (outputPadding.some((p, i) => p >= stride[i] && p >= dilation[i])) {
    throw new ValueError(
      op,
      `outputPadding [${outputPadding.join(', ')}] must be smaller than either stride [${stride.join(', ')}] or dilation [${dilation.join(', ')}]`,
    );
  }
  const kernel = w.shape.slice(2);
  const outSize = x.shape.slice(2).map(
    (n, i) => (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1,
  );
  if (outSize.some((n) => n < 1)) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} with weight ${fmtShape(w.shape)} gives an empty output of size ${outSize.join('×')}`);
  }
  return { before: padding, outSize };
}

/** Shared by every public convolution: checks operands, resolves the layout, runs the 2-D primitive. */
function convNd(
  op: string, spatial: number, transposed: boolean, input: Tensor, weight: Tensor, bias: Tensor | null,
  options: ConvOptions | ConvTransposeOptions,
): Tensor {
  const [batched, unbatched] = toBatched(op, input, spatial);
  const [x, w, b] = commonFloat(op, [batched, weight, bias]) as [Tensor, Tensor, Tensor | null];
  const groups = options.groups ?? 1;
  checkConvOperands(op, x, w, b, groups, transposed);
  const stride = perDim(op, 'stride', options.stride ?? 1, spatial, 1);
  const dilation = perDim(op, 'dilation', options.dilation ?? 1, spatial, 1);
  const { before, outSize } = transposed
    ? convTransposeLayout(op, x, w, stride, dilation, options as ConvTransposeOptions)
    : convLayout(op, x, w, stride, dilation, options as ConvOptions);
  const y = convolution2d(as2d(x), as2d(w), b, {
    stride: asPair(stride, 1),
    padding: asPair(before, 0),
    dilation: asPair(dilation, 1),
    groups,
    outSize: asPair(outSize, 1),
    transposed,
  });
  return fromBatched(from2d(y, spatial), unbatched);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`) of an [N, C, H, W] (or [C, H, W]) input with
 * a weight [out, in/groups, kH, kW] and an optional bias [out]:
 * out[n, o, i, j] = bias[o] + Σ_{c, p, q} x[n, c, i·sH − padH + p·dH, j·sW − padW + q·dW] · w[o, c, p, q].
 *
 * @example
 * const y = conv2d(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { padding: 'same' }); // [8, 16, 32, 32]
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return convNd('conv2d', 2, false, input, weight, bias, options);
}

/**
 * 1-D convolution of an [N, C, L] (or [C, L]) input with a weight [out, in/groups, k], as PyTorch's `F.conv1d`.
 *
 * @example
 * conv1d(randn([4, 2, 100]), randn([8, 2, 5]), null, { stride: 2 }).shape; // [4, 8, 48]
 */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return convNd('conv1d', 1, false, input, weight, bias, options);
}

/**
 * 2-D transposed convolution ("deconvolution", PyTorch's `F.conv_transpose2d`): the gradient of `conv2d`
 * with respect to its input. Weight [in, out/groups, kH, kW]; output size
 * (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1.
 *
 * @example
 * convTranspose2d(randn([1, 16, 7, 7]), randn([16, 8, 4, 4]), null, { stride: 2, padding: 1 }).shape; // [1, 8, 14, 14]
 */
export function convTranspose2d(
  input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {},
): Tensor {
  return convNd('convTranspose2d', 2, true, input, weight, bias, options);
}

/**
 * 1-D transposed convolution of an [N, C, L] input with a weight [in, out/groups, k] (PyTorch's `F.conv_transpose1d`).
 *
 * @example
 * convTranspose1d(randn([1, 4, 10]), randn([4, 2, 3]), null, { stride: 2 }).shape; // [1, 2, 21]
 */
export function convTranspose1d(
  input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {},
): Tensor {
  return convNd('convTranspose1d', 1, true, input, weight, bias, options);
}
