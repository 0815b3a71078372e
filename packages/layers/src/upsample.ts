import { ShapeError, ValueError, fmtShape, upsampleNearest2d, type Tensor } from '@backprop/tensor';
import { checkChoice, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';

/** Options of `Upsample`: exactly one of `size` and `scaleFactor`. */
export interface UpsampleLayerOptions {
  /** Output height and width (one number for both). */
  size?: number | readonly number[];
  /** Output = ⌊input · scaleFactor⌋ per dimension (one number for both). */
  scaleFactor?: number | readonly number[];
  /** Interpolation; only `'nearest'` (the default) is implemented. */
  mode?: 'nearest';
}

function pairOrNull(field: string, value: unknown, integer: boolean): number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value, value] : Array.isArray(value) ? [...(value as unknown[])] : [];
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v));
  if (list.length !== 2 || !list.every(ok)) {
    throw new ValueError('Upsample', `${field} must be a positive ${integer ? 'integer' : 'number'} or a pair of them, got ${JSON.stringify(value)}`);
  }
  return list as number[];
}

/**
 * Nearest-neighbour upsampling of `[N, C, H, W]` (or `[C, H, W]`) inputs, as PyTorch's
 * `nn.Upsample(size | scale_factor, mode='nearest')`: out[n, c, i, j] = x[n, c, ⌊i·scaleH⌋, ⌊j·scaleW⌋]
 * with scale = 1/scaleFactor when a factor is given, else inputSize/outputSize. The gradient sums
 * over the copies.
 *
 * @example
 * new Upsample({ scaleFactor: 2 }).call(zeros([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 */
export class Upsample extends Module {
  readonly size: readonly number[] | null;
  readonly scaleFactor: readonly number[] | null;
  readonly mode: 'nearest';

  constructor(options: UpsampleLayerOptions) {
    super();
    const size = pairOrNull('size', options?.size, true);
    const scaleFactor = pairOrNull('scaleFactor', options?.scaleFactor, false);
    if ((size === null) === (scaleFactor === null)) throw new ValueError('Upsample', 'give exactly one of size and scaleFactor');
    this.size = size && Object.freeze(size);
    this.scaleFactor = scaleFactor && Object.freeze(scaleFactor);
    this.mode = checkChoice('Upsample', 'mode', options.mode ?? 'nearest', ['nearest'] as const);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 3 && x.rank !== 4) throw new ShapeError('Upsample', `expected input of shape [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
    return this.size ? upsampleNearest2d(x, { size: [...this.size] }) : upsampleNearest2d(x, { scaleFactor: [...this.scaleFactor!] });
  }

  override toConfig(): LayerConfig {
    return {
      type: 'Upsample',
      size: this.size && [...this.size],
      scaleFactor: this.scaleFactor && [...this.scaleFactor],
      mode: this.mode,
    };
  }

  static fromConfig(config: LayerConfig): Upsample {
    const o = configOptions('Upsample', config, ['size', 'scaleFactor', 'mode']);
    return new Upsample(o as UpsampleLayerOptions);
  }
}
