import { Module, registerLayer, listLayers, type LayerConfig } from '@backprop/layers';
import { ShapeError, ValueError, fmtShape, type Tensor } from '@backprop/tensor';

/**
 * Keeps the last time step of a recurrent layer's output, so that `LSTM → LastTimeStep → Linear` fits in
 * a Sequential: the recurrent layers return `[output, state]`, and a classifier wants one vector per
 * sequence (Keras' `return_sequences=False`). Takes batch-first `[N, T, H]` (or `[T, N, H]` with
 * `batchFirst: false`) and returns `[N, H]`.
 */
export class LastTimeStep extends Module<[Tensor | [Tensor, unknown]], Tensor> {
  constructor(readonly batchFirst = true) {
    super();
  }

  forward(input: Tensor | [Tensor, unknown]): Tensor {
    const x = Array.isArray(input) ? input[0] : input;
    if (x.rank !== 3) throw new ShapeError('LastTimeStep', `expected a sequence output of rank 3, got ${fmtShape(x.shape)}`);
    const axis = this.batchFirst ? 1 : 0;
    return x.narrow(axis, x.shape[axis] - 1, 1).squeeze(axis);
  }

  override toConfig(): LayerConfig {
    return { type: 'LastTimeStep', batchFirst: this.batchFirst };
  }

  static fromConfig(config: LayerConfig): LastTimeStep {
    const unknown = Object.keys(config).filter((k) => k !== 'type' && k !== 'batchFirst');
    if (unknown.length > 0) throw new ValueError('LastTimeStep', `unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected batchFirst`);
    if (config.batchFirst !== undefined && typeof config.batchFirst !== 'boolean') {
      throw new ValueError('LastTimeStep', `batchFirst must be true or false, got ${JSON.stringify(config.batchFirst)}`);
    }
    return new LastTimeStep(config.batchFirst ?? true);
  }
}

/** Registers the CLI's own layers (once; a plugin or a newer @backprop/layers may already have one). */
export function registerCliLayers(): void {
  if (!listLayers().includes('LastTimeStep')) registerLayer('LastTimeStep', LastTimeStep);
}
