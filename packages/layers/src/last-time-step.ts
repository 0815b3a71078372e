import { ShapeError, fmtShape, type Tensor } from '@backprop/tensor';
import { checkBoolean, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';

/** Options of `LastTimeStep`. */
export interface LastTimeStepOptions {
  /**
   * The sequence is `[N, T, H]` (true, the default) or `[T, N, H]` (false), as the recurrent layer before
   * it was built with `batchFirst`.
   */
  batchFirst?: boolean;
}

/**
 * Keeps the last time step of a sequence, so `LSTM → LastTimeStep → Linear` is a `Sequential`: a
 * recurrent layer returns `[output, state]` and a classifier wants one vector per sequence (Keras'
 * `return_sequences=False`; in PyTorch one writes `output[:, -1]`). It takes the recurrent layer's
 * `[output, state]` or the output tensor alone, and returns `[N, H]` from `[N, T, H]` (`batchFirst`,
 * the default) or `[T, N, H]`; an unbatched `[T, H]` gives `[H]`. For a bidirectional layer this is
 * the forward direction's last step next to the backward direction's first, as `output[:, -1]` is.
 *
 * `batchFirst` defaults to true, unlike the recurrent layers, because sequences are batch-first
 * everywhere else in backprop (data loaders, the CLI); set it to match the layer before.
 *
 * @example
 * const model = layerFromConfig({ type: 'Sequential', layers: [
 *   { type: 'LSTM', inputSize: 1, hiddenSize: 16, batchFirst: true },
 *   { type: 'LastTimeStep' },
 *   { type: 'Linear', inFeatures: 16, outFeatures: 2 },
 * ] }) as Module;
 * model.call(zeros([4, 8, 1])).shape; // [4, 2]
 */
export class LastTimeStep extends Module<[Tensor | [Tensor, unknown]], Tensor> {
  readonly batchFirst: boolean;

  constructor(options: LastTimeStepOptions = {}) {
    super();
    this.batchFirst = checkBoolean('LastTimeStep', 'batchFirst', options.batchFirst ?? true);
  }

  forward(input: Tensor | [Tensor, unknown]): Tensor {
    const x = Array.isArray(input) ? input[0] : input;
    if (x?.rank !== 2 && x?.rank !== 3) {
      const got = x?.rank === undefined ? String(x) : `shape ${fmtShape(x.shape)}`;
      throw new ShapeError('LastTimeStep', `expected a sequence [N, T, H], [T, N, H] or unbatched [T, H] (or a recurrent layer's [output, state]), got ${got}`);
    }
    const axis = x.rank === 3 && this.batchFirst ? 1 : 0;
    return x.narrow(axis, x.shape[axis] - 1, 1).squeeze(axis);
  }

  override toConfig(): LayerConfig {
    return { type: 'LastTimeStep', batchFirst: this.batchFirst };
  }

  static fromConfig(config: LayerConfig): LastTimeStep {
    const o = configOptions('LastTimeStep', config, ['batchFirst']);
    return new LastTimeStep({ batchFirst: o.batchFirst as boolean | undefined });
  }
}
