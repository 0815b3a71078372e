import { getBackend, gruSequence, kernelBackend, zeros, type Tensor } from '@backprop/tensor';
import { configOptions, type LayerConfig } from '../config.js';
import type { BuildContext } from '../registry.js';
import { RecurrentBase, hiddenProjection, type CellState, type RecurrentOptions, type RecurrentOutput, type StepWeights } from './rnn-base.js';
import type { PackedSequence } from './packed-sequence.js';
import { recurrentOptions, RECURRENT_OPTIONS } from './options.js';

/**
 * Gated recurrent unit, as PyTorch's `nn.GRU`, with the gates stacked in the order r, z, n:
 *
 *     r = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *     z = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *     n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t−1} + b_hn))
 *     h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * (the reset gate multiplies the hidden projection including its bias, as PyTorch and cuDNN do).
 * Parameters per layer k: `weight_ih_l{k}` `[3H, in]`, `weight_hh_l{k}` `[3H, H]`, `bias_ih_l{k}`,
 * `bias_hh_l{k}` `[3H]`, all ~ U(±1/√H). `forward(x, h0?)` returns `[output, hN]` as `RNN`; defaults as `RNN`.
 *
 * @example
 * const gru = new GRU(4, 8);
 * const [output, hN] = gru.call(randn([6, 2, 4]), zeros([1, 2, 8])); // output [6, 2, 8], hN [1, 2, 8]
 */
export class GRU<OutputOnly extends boolean = false> extends RecurrentBase<Tensor, OutputOnly> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions & { outputOnly?: OutputOnly } = {}) {
    super('GRU', 3, 1, inputSize, hiddenSize, options);
  }

  protected step(xw: Tensor, [h]: CellState, weights: StepWeights): CellState {
    const [xr, xz, xn] = xw.chunk(3, 1);
    const [hr, hz, hn] = hiddenProjection(h, weights).chunk(3, 1);
    const r = xr.add(hr).sigmoid();
    const z = xz.add(hz).sigmoid();
    const n = xn.add(r.mul(hn)).tanh();
    // (1 − z)·n + z·h, written with one product fewer.
    return [n.add(z.mul(h.sub(n)))];
  }

  // Where the active backend has the fused sequence kernel (and no packed lengths), each direction is one
  // gruSequence op: no per-step op front ends, autograd nodes or slice gradients.
  protected override fusesSequence(weights: StepWeights, tensors: Tensor[]): boolean {
    const dtype = weights.weightHh.dtype;
    return kernelBackend('gruSequence') === getBackend() && tensors.every((t) => t.dtype === dtype);
  }

  protected override runSequence(product: Tensor, biasIh: Tensor | null, [h0]: CellState, weights: StepWeights, reverse: boolean): [Tensor, CellState] {
    const biasHh = weights.biasHh ?? zeros([3 * this.hiddenSize], { dtype: weights.weightHh.dtype });
    const [output, h] = gruSequence(biasIh ? product.add(biasIh) : product, h0, weights.weightHh, biasHh, { reverse });
    return [output, [h]];
  }

  forward(x: Tensor | PackedSequence, h0?: Tensor): RecurrentOutput<Tensor, OutputOnly> {
    const { output, final } = this.run(x, h0 ? [h0] : null);
    return this.result(output, final[0]);
  }

  override toConfig(): LayerConfig {
    return this.baseConfig();
  }

  static fromConfig(config: LayerConfig, context: BuildContext): GRU<boolean> {
    const o = configOptions('GRU', config, RECURRENT_OPTIONS);
    return new GRU(o.inputSize as number, o.hiddenSize as number, recurrentOptions(o, context));
  }
}
