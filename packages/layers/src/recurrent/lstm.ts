import { getBackend, kernelBackend, lstmCell, lstmSequence, matmul, type Tensor } from '@backprop/tensor';
import { configOptions, type LayerConfig } from '../config.js';
import type { PackedSequence } from './packed-sequence.js';
import type { BuildContext } from '../registry.js';
import { RecurrentBase, hiddenProjection, type CellState, type RecurrentOptions, type RecurrentOutput, type StepWeights } from './rnn-base.js';
import { recurrentOptions, RECURRENT_OPTIONS } from './options.js';

/** Options of `LSTM`: the shared recurrent options and the projection size. */
export interface LSTMOptions extends RecurrentOptions {
  /** Project h to this many features with `weight_hr_l{k}` `[projSize, H]` (default 0: no projection; must be < hiddenSize). */
  projSize?: number;
}

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
 * With `projSize` P > 0 (PyTorch's `proj_size`, default 0) the hidden state is projected:
 * h_t = (σ(o) ⊙ tanh(c_t))·W_hrᵀ with `weight_hr_l{k}` `[P, H]`; then h, the output and `weight_hh_l{k}`
 * `[4H, P]` have P features while c keeps H, and the next layer reads P·directions.
 *
 * `forward(x, [h0, c0]?)` returns `[output, [hN, cN]]`; states are `[numLayers·directions, N, H]`, zeros when
 * omitted. For truncated backpropagation through time, feed the next chunk `[hN.detach(), cN.detach()]`.
 *
 * @example
 * const lstm = new LSTM(1, 16, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(randn([32, 10, 1])); // out [32, 10, 16], hN and cN [1, 32, 16]
 */
export class LSTM<OutputOnly extends boolean = false> extends RecurrentBase<[Tensor, Tensor], OutputOnly> {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions & { outputOnly?: OutputOnly } = {}) {
    super('LSTM', 4, 2, inputSize, hiddenSize, options);
  }

  protected step(xw: Tensor, [h, c]: CellState, weights: StepWeights): CellState {
    const gates = xw.add(hiddenProjection(h, weights));
    let hNext: Tensor;
    let cNext: Tensor;
    if (kernelBackend('lstmCell') === getBackend() && c.dtype === gates.dtype) {
      // One fused pointwise kernel forward and one backward, where the active backend has them.
      [hNext, cNext] = lstmCell(gates, c);
    } else {
      const [i, f, g, o] = gates.chunk(4, 1);
      cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
      hNext = o.sigmoid().mul(cNext.tanh());
    }
    return [weights.weightHr ? matmul(hNext, weights.weightHr, false, true) : hNext, cNext];
  }

  // Where the active backend has the fused sequence kernel (and no projection or packed lengths), each
  // direction is one lstmSequence op: no per-step op front ends, autograd nodes or slice gradients.
  protected override fusesSequence(weights: StepWeights, tensors: Tensor[]): boolean {
    const dtype = weights.weightHh.dtype;
    return weights.weightHr === null && kernelBackend('lstmSequence') === getBackend() && tensors.every((t) => t.dtype === dtype);
  }

  protected override runSequence(product: Tensor, biasIh: Tensor | null, [h0, c0]: CellState, weights: StepWeights, reverse: boolean): [Tensor, CellState] {
    // Both biases in the input projection: one [4H] sum rather than a second add over every step.
    const bias = biasIh && weights.biasHh ? biasIh.add(weights.biasHh) : (biasIh ?? weights.biasHh);
    const [output, h, c] = lstmSequence(bias ? product.add(bias) : product, h0, c0, weights.weightHh, { reverse });
    return [output, [h, c]];
  }

  forward(x: Tensor | PackedSequence, state?: [Tensor, Tensor]): RecurrentOutput<[Tensor, Tensor], OutputOnly> {
    const { output, final } = this.run(x, state ? [state[0], state[1]] : null);
    return this.result(output, [final[0], final[1]]);
  }

  override toConfig(): LayerConfig {
    return this.projSize > 0 ? { ...this.baseConfig(), projSize: this.projSize } : this.baseConfig();
  }

  static fromConfig(config: LayerConfig, context: BuildContext): LSTM<boolean> {
    const o = configOptions('LSTM', config, [...RECURRENT_OPTIONS, 'projSize']);
    return new LSTM(o.inputSize as number, o.hiddenSize as number, { ...recurrentOptions(o, context), projSize: o.projSize as number | undefined });
  }
}
