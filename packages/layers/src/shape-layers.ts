import { ShapeError, fmtShape, sizeOf, type Tensor } from '@backprop/tensor';
import { checkInt, checkIntArray, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';

/**
 * Flattens dimensions `startDim..endDim` (inclusive) into one; defaults 1 and −1, so `[N, C, H, W]`
 * becomes `[N, C·H·W]` (PyTorch's `nn.Flatten`).
 * @example new Flatten().call(zeros([2, 3, 4])).shape; // [2, 12]
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = checkInt('Flatten', 'startDim', startDim, -Infinity);
    this.endDim = checkInt('Flatten', 'endDim', endDim, -Infinity);
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override toConfig(): LayerConfig {
    return { type: 'Flatten', startDim: this.startDim, endDim: this.endDim };
  }
  static fromConfig(config: LayerConfig): Flatten {
    const o = configOptions('Flatten', config, ['startDim', 'endDim']);
    return new Flatten(o.startDim as number | undefined, o.endDim as number | undefined);
  }
}

/**
 * Reshapes each sample to `shape`, keeping the batch dimension: `[N, ...]` → `[N, ...shape]`; one entry
 * may be −1 (as Keras' `Reshape`; PyTorch's closest is `nn.Unflatten`). The data is shared, not copied.
 * @example new Reshape([3, 4]).call(zeros([2, 12])).shape; // [2, 3, 4]
 */
export class Reshape extends Module {
  readonly shape: readonly number[];
  constructor(shape: readonly number[]) {
    super();
    const s = checkIntArray('Reshape', 'shape', shape, -1);
    if (s.includes(0) || s.filter((d) => d === -1).length > 1) {
      throw new ShapeError('Reshape', `shape must have positive sizes and at most one −1, got ${fmtShape(s)}`);
    }
    this.shape = Object.freeze(s);
  }
  forward(x: Tensor): Tensor {
    if (x.rank === 0) throw new ShapeError('Reshape', 'needs an input with a batch dimension, got a scalar');
    const known = sizeOf(this.shape.filter((d) => d !== -1));
    const perSample = sizeOf(x.shape.slice(1));
    const fits = this.shape.includes(-1) ? perSample % known === 0 : perSample === known;
    if (!fits) {
      throw new ShapeError('Reshape', `cannot reshape samples of shape ${fmtShape(x.shape.slice(1))} (${perSample} values) to ${fmtShape(this.shape)}`);
    }
    return x.reshape([x.shape[0], ...this.shape]);
  }
  override toConfig(): LayerConfig {
    return { type: 'Reshape', shape: [...this.shape] };
  }
  static fromConfig(config: LayerConfig): Reshape {
    return new Reshape(configOptions('Reshape', config, ['shape']).shape as number[]);
  }
}

/**
 * Returns its input unchanged (PyTorch's `nn.Identity`): a placeholder where a layer is optional.
 * @example new Identity().call(x) === x; // true
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
  override toConfig(): LayerConfig {
    return { type: 'Identity' };
  }
  static fromConfig(config: LayerConfig): Identity {
    configOptions('Identity', config, []);
    return new Identity();
  }
}
