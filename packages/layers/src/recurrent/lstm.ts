import type { Tensor } from '@backprop/tensor';
import { configOptions, type LayerConfig } from '../config.js';
import type { BuildContext } from '../registry.js';
import { RecurrentBase, hiddenProjection, type CellState, type RecurrentOptions, type StepWeights } from './rnn-base.js';
import { recurrentOptions, RECURRENT_OPTIONS } from './options.js';

/**
 * Long short-term memory, as PyTorch's `nn.LSTM`. With the four gates stacked in the order i, f, g, o:
 *
 *     [i, f, g, o] = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh
 *     c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *     h_t = σ(o) ⊙ tanh(c_t)
 *
 * Parameters per layer k: `weight_ih_l{k}` `[4H, in]`, `weight_hh_l{k}` `[4H, H]`, `bias_ih_l{k}` and
 * `bias_hh_l{k}` `[4H]` (rows 0..H−1 are gate i, then f, g, o), all ~ U(±1/√H). Defaults as `RNN`.
 *
 * `forward(x, [h0, c0]?)` returns `[output, [hN, cN]]`; states are `[numLayers·directions, N, H]`, zeros when
 * omitted. For truncated backpropagation through time, feed the next chunk `[hN.detach(), cN.detach()]`.
 *
 * @example
 * const lstm = new LSTM(1, 16, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(randn([32, 10, 1])); // out [32, 10, 16], hN and cN [1, 32, 16]
 */
export class LSTM extends RecurrentBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('LSTM', 4, 2, inputSize, hiddenSize, options);
  }

  protected step(xw: Tensor, [h, c]: CellState, weights: StepWeights): CellState {
    const [i, f, g, o] = xw.add(hiddenProjection(h, weights)).chunk(4, 1);
    const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
    return [o.sigmoid().mul(cNext.tanh()), cNext];
  }

  forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const { output, final } = this.run(x, state ? [state[0], state[1]] : null);
    return [output, [final[0], final[1]]];
  }

  override toConfig(): LayerConfig {
    return this.baseConfig();
  }

  static fromConfig(config: LayerConfig, context: BuildContext): LSTM {
    const o = configOptions('LSTM', config, RECURRENT_OPTIONS);
    return new LSTM(o.inputSize as number, o.hiddenSize as number, recurrentOptions(o, context));
  }
}
