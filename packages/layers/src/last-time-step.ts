import { ShapeError, ValueError, fmtShape, tensor, type Tensor } from '@backprop/tensor';
import { checkBoolean, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';
import { PackedSequence, padPackedSequence } from './recurrent/packed-sequence.js';

/** Options of `LastTimeStep`. */
export interface LastTimeStepOptions {
  /**
   * The sequence is `[N, T, H]` (true) or `[T, N, H]` (false). Left out, it follows the recurrent layer
   * before it in a `Sequential` (and is true elsewhere); given, it must agree with that layer.
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
 * `batchFirst` follows the recurrent layer just before it in a `Sequential` (an LSTM built without
 * `batchFirst` gives `[T, N, H]`, so this reads the same layout); a `batchFirst` given here that disagrees
 * with that layer is an error when the `Sequential` is built. Alone, it defaults to true. A
 * `PackedSequence` (or `[packed, state]`) gives each sequence's own last step, whatever its length.
 *
 * @example
 * const model = layerFromConfig({ type: 'Sequential', layers: [
 *   { type: 'LSTM', inputSize: 1, hiddenSize: 16, batchFirst: true },
 *   { type: 'LastTimeStep' },
 *   { type: 'Linear', inFeatures: 16, outFeatures: 2 },
 * ] }) as Module;
 * model.call(zeros([4, 8, 1])).shape; // [4, 2]
 */
export class LastTimeStep extends Module<[Tensor | PackedSequence | [Tensor | PackedSequence, unknown]], Tensor> {
  private layout: boolean;
  /** Whether `batchFirst` was given (else it follows the recurrent layer before it). */
  readonly batchFirstGiven: boolean;

  constructor(options: LastTimeStepOptions = {}) {
    super();
    this.batchFirstGiven = options.batchFirst !== undefined;
    this.layout = checkBoolean('LastTimeStep', 'batchFirst', options.batchFirst ?? true);
  }

  /** `[N, T, H]` (true) or `[T, N, H]` (false). */
  get batchFirst(): boolean {
    return this.layout;
  }

  /**
   * Takes the layout of the recurrent layer before it (`Sequential` calls this); an explicitly given
   * `batchFirst` that disagrees is an error, because the output would silently have the wrong shape.
   */
  followRecurrent(layer: string, batchFirst: boolean): void {
    if (this.batchFirstGiven && batchFirst !== this.layout) {
      throw new ValueError(
        'LastTimeStep',
        `batchFirst is ${this.layout} but the ${layer} before it has batchFirst ${batchFirst}; leave batchFirst out to follow the ${layer}, or make them agree`,
      );
    }
    this.layout = batchFirst;
  }

  forward(input: Tensor | PackedSequence | [Tensor | PackedSequence, unknown]): Tensor {
    const seq = Array.isArray(input) ? input[0] : input;
    if (seq instanceof PackedSequence) return lastOfPacked(seq);
    const x = seq;
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
    // A config read back keeps following the layer before it: the saved value is the one it followed.
    const o = configOptions('LastTimeStep', config, ['batchFirst']);
    return new LastTimeStep({ batchFirst: o.batchFirst as boolean | undefined });
  }
}

/** Each sequence's last valid step of a packed `[Σ lengths, H]` sequence: `[B, H]` in the original batch order. */
function lastOfPacked(seq: PackedSequence): Tensor {
  const [padded, lengths] = padPackedSequence(seq);
  const [T, B] = padded.shape;
  const rows = Array.from(lengths.dataSync(), (n, b) => (Number(n) - 1) * B + b);
  return padded.reshape([T * B, ...padded.shape.slice(2)]).indexSelect(0, tensor(rows, [B], 'int32'));
}
