import { ShapeError, ValueError, fmtShape, normalizeAxis, type Tensor } from '@backprop/tensor';
import { checkInt, checkIntArray, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';

/**
 * Splits one dimension into several, as PyTorch's `nn.Unflatten`: `[…, d, …]` → `[…, ...unflattenedSize, …]`
 * where the sizes multiply to d (one of them may be −1). The inverse of `Flatten(dim, dim + k − 1)`.
 *
 * @example new Unflatten(1, [4, 2, 2]).call(zeros([3, 16])).shape; // [3, 4, 2, 2]
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = checkInt('Unflatten', 'dim', dim, -Infinity);
    const sizes = checkIntArray('Unflatten', 'unflattenedSize', unflattenedSize, -1);
    if (sizes.length === 0 || sizes.includes(0) || sizes.filter((s) => s === -1).length > 1) {
      throw new ValueError('Unflatten', `unflattenedSize must be a non-empty list of positive sizes (one may be -1), got [${sizes.join(', ')}]`);
    }
    this.unflattenedSize = Object.freeze(sizes);
  }

  forward(x: Tensor): Tensor {
    const axis = normalizeAxis('Unflatten', this.dim, x.rank);
    const d = x.shape[axis];
    const known = this.unflattenedSize.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const fits = this.unflattenedSize.includes(-1) ? d % known === 0 : d === known;
    if (!fits) {
      throw new ShapeError('Unflatten', `cannot split dimension ${this.dim} of size ${d} (input ${fmtShape(x.shape)}) into [${this.unflattenedSize.join(', ')}]`);
    }
    const sizes = this.unflattenedSize.map((s) => (s === -1 ? d / known : s));
    return x.reshape([...x.shape.slice(0, axis), ...sizes, ...x.shape.slice(axis + 1)]);
  }

  override toConfig(): LayerConfig {
    return { type: 'Unflatten', dim: this.dim, unflattenedSize: [...this.unflattenedSize] };
  }

  static fromConfig(config: LayerConfig): Unflatten {
    const o = configOptions('Unflatten', config, ['dim', 'unflattenedSize']);
    return new Unflatten(o.dim as number, o.unflattenedSize as number[]);
  }
}
