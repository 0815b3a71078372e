import type { Tensor } from '@backprop/tensor';
import { checkChoice, configOptions, type LayerConfig } from '../config.js';
import type { BuildContext } from '../registry.js';
import { RecurrentBase, hiddenProjection, type CellState, type RecurrentOptions, type RecurrentOutput, type StepWeights } from './rnn-base.js';
import type { PackedSequence } from './packed-sequence.js';
import { recurrentOptions, RECURRENT_OPTIONS } from './options.js';

/** Options of `RNN`: the shared recurrent options and the nonlinearity. */
export interface RNNOptions extends RecurrentOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Elman recurrent network, as PyTorch's `nn.RNN`: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), with
 * act tanh (default) or relu. Parameters per layer k: `weight_ih_l{k}` `[H, in]` (in = inputSize for
 * k = 0, H·directions after), `weight_hh_l{k}` `[H, H]`, `bias_ih_l{k}`, `bias_hh_l{k}` `[H]`, all
 * ~ U(±1/√H). Defaults: numLayers 1, bias true, batchFirst false, dropout 0, bidirectional false.
 *
 * `forward(x, h0?)` takes x `[T, N, inputSize]` (`[N, T, inputSize]` with batchFirst, or unbatched
 * `[T, inputSize]`) and h0 `[numLayers·directions, N, H]` (zeros when omitted), and returns
 * `[output, hN]`: the last layer's h_t for every step `[T, N, directions·H]` and every layer's final state.
 *
 * @example
 * const rnn = new RNN(3, 8, { numLayers: 2 });
 * const [output, hN] = rnn.call(randn([5, 4, 3])); // output [5, 4, 8], hN [2, 4, 8]
 */
export class RNN<OutputOnly extends boolean = false> extends RecurrentBase<Tensor, OutputOnly> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions & { outputOnly?: OutputOnly } = {}) {
    super('RNN', 1, 1, inputSize, hiddenSize, options);
    this.nonlinearity = checkChoice('RNN', 'nonlinearity', options.nonlinearity ?? 'tanh', ['tanh', 'relu'] as const);
  }

  protected step(xw: Tensor, [h]: CellState, weights: StepWeights): CellState {
    const z = xw.add(hiddenProjection(h, weights));
    return [this.nonlinearity === 'tanh' ? z.tanh() : z.relu()];
  }

  forward(x: Tensor | PackedSequence, h0?: Tensor): RecurrentOutput<Tensor, OutputOnly> {
    const { output, final } = this.run(x, h0 ? [h0] : null);
    return this.result(output, final[0]);
  }

  override toConfig(): LayerConfig {
    return { ...this.baseConfig(), nonlinearity: this.nonlinearity };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): RNN<boolean> {
    const o = configOptions('RNN', config, [...RECURRENT_OPTIONS, 'nonlinearity']);
    return new RNN(o.inputSize as number, o.hiddenSize as number, {
      ...recurrentOptions(o, context),
      nonlinearity: o.nonlinearity as 'tanh' | 'relu' | undefined,
    });
  }
}
