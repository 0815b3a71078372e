import { ShapeError, ValueError, pad, type Tensor } from '@backprop/tensor';
import { Module, type LayerConfig } from '@backprop/layers';

const pair = (layer: string, field: string, v: unknown): [number, number] => {
  const p = Array.isArray(v) ? v : [v, v];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || (d as number) < 1)) {
    throw new ValueError(layer, `${field} must be a positive integer or two, got ${JSON.stringify(v)}`);
  }
  return [p[0] as number, p[1] as number];
};

/**
 * TensorFlow's `padding: 'same'` for a strided window over NCHW images: pads each spatial axis so a
 * `kernelSize` window with `stride` and `dilation` gives `ceil(size / stride)` outputs, the odd extra
 * row or column at the end (bottom, right), as TensorFlow does; the window that follows uses no padding.
 * `value` fills the border: 0 before a convolution, −∞ before a max pooling (TensorFlow's max ignores
 * the padding). It depends on the input size, so it is computed per call.
 *
 * @example
 * new SamePad2d(3, 2).call(zeros([1, 1, 8, 8])).shape; // [1, 1, 9, 9]: 4 outputs of a 3×3 stride-2 window
 */
export class SamePad2d extends Module {
  /** The window's size (height, width). */
  readonly kernelSize: readonly [number, number];
  /** The window's stride (height, width). */
  readonly stride: readonly [number, number];
  /** The window's dilation (height, width). */
  readonly dilation: readonly [number, number];
  /** The border's value. */
  readonly value: number;
  constructor(kernelSize: number | [number, number], stride: number | [number, number] = 1, dilation: number | [number, number] = 1, value = 0) {
    super();
    this.kernelSize = pair('SamePad2d', 'kernelSize', kernelSize);
    this.stride = pair('SamePad2d', 'stride', stride);
    this.dilation = pair('SamePad2d', 'dilation', dilation);
    if (typeof value !== 'number' || Number.isNaN(value)) throw new ValueError('SamePad2d', `value must be a number, got ${String(value)}`);
    this.value = value;
  }
  /** `x` `[N, C, H, W]` with TensorFlow's 'same' border. */
  forward(x: Tensor): Tensor {
    if (x.rank !== 4) throw new ShapeError('SamePad2d', `expects [N, C, H, W], got rank ${x.rank}`);
    const pads: number[] = [];
    for (const axis of [1, 0]) {
      const size = x.shape[2 + axis];
      const span = (this.kernelSize[axis] - 1) * this.dilation[axis] + 1;
      const total = Math.max((Math.ceil(size / this.stride[axis]) - 1) * this.stride[axis] + span - size, 0);
      pads.push(Math.floor(total / 2), total - Math.floor(total / 2));
    }
    return pads.every((p) => p === 0) ? x : pad(x, pads, 'constant', this.value);
  }
  /** `{ type: 'SamePad2d', kernelSize, stride, dilation, value }` (−∞ is stored as the string '-Infinity'). */
  override toConfig(): LayerConfig {
    return {
      type: 'SamePad2d', kernelSize: [...this.kernelSize], stride: [...this.stride], dilation: [...this.dilation],
      value: Number.isFinite(this.value) ? this.value : String(this.value),
    };
  }
  /** Rebuilds a `SamePad2d` from its config. */
  static fromConfig(config: LayerConfig): SamePad2d {
    const value = typeof config.value === 'string' && /^-?Infinity$/.test(config.value) ? Number(config.value) : (config.value as number | undefined);
    return new SamePad2d(config.kernelSize as [number, number], config.stride as [number, number], config.dilation as [number, number], value ?? 0);
  }
}
