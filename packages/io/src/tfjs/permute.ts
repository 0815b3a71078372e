import { ShapeError, ValueError, permute, type Tensor } from '@backprop/tensor';
import { Module, type LayerConfig } from '@backprop/layers';

/**
 * Reorders the axes of its input, as PyTorch's `x.permute(*dims)` (batch axis included). An imported
 * TensorFlow.js model uses it to keep Keras' channels-last layout at its edges: `[0, 3, 1, 2]` turns
 * NHWC into NCHW before the convolutions, `[0, 2, 3, 1]` turns it back before a `Flatten` or `Dense`.
 *
 * @example
 * new Permute([0, 3, 1, 2]).call(zeros([2, 8, 8, 3])).shape; // [2, 3, 8, 8]
 */
export class Permute extends Module {
  /** Output axis i is input axis `dims[i]`. */
  readonly dims: readonly number[];
  constructor(dims: readonly number[]) {
    super();
    const sorted = [...dims].sort((a, b) => a - b);
    if (!Array.isArray(dims) || dims.length === 0 || sorted.some((d, i) => d !== i)) {
      throw new ValueError('Permute', `dims must be a permutation of 0..n-1, got ${JSON.stringify(dims)}`);
    }
    this.dims = Object.freeze([...dims]);
  }
  /** The input with its axes reordered (a view). */
  forward(x: Tensor): Tensor {
    if (x.rank !== this.dims.length) {
      throw new ShapeError('Permute', `dims [${this.dims.join(', ')}] need an input of rank ${this.dims.length}, got rank ${x.rank}`);
    }
    return permute(x, this.dims);
  }
  /** `{ type: 'Permute', dims }`. */
  override toConfig(): LayerConfig {
    return { type: 'Permute', dims: [...this.dims] };
  }
  /** Rebuilds a `Permute` from its config. */
  static fromConfig(config: LayerConfig): Permute {
    return new Permute(config.dims as number[]);
  }
}
